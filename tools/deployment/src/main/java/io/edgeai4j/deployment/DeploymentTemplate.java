package io.edgeai4j.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A {@code deployment.template.json} file and where its manifests go: {@code config/<prefix>.<platform>.json} next
 * to it, {@code <prefix>} being the file name before {@code .template.json} (iotedgedev's naming). Immutable.
 */
public final class DeploymentTemplate {
  private static final String SUFFIX = ".template.json";

  private final Path file;
  private final ObjectNode template;

  private DeploymentTemplate(Path file, ObjectNode template) {
    this.file = file;
    this.template = template;
  }

  /**
   * Reads a template.
   *
   * @throws IOException if it cannot be read or is not a JSON object (the message names the file).
   */
  public static DeploymentTemplate read(Path file) throws IOException {
    JsonNode node;
    try {
      node = ManifestJson.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not JSON: " + e.getOriginalMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IOException(file + ": expected a JSON object {\"$schema-template\": \"4.0.0\", \"modulesContent\": …}");
    }
    return new DeploymentTemplate(file, object);
  }

  /** The template file. */
  public Path file() {
    return file;
  }

  /** Where the manifest of {@code platform} is written. */
  public Path outputFile(Platform platform) {
    String name = file.getFileName().toString();
    String prefix = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length())
        : name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    Path directory = file.toAbsolutePath().getParent();
    return directory.resolve("config").resolve(prefix + "." + platform.manifestName() + ".json");
  }

  /**
   * Generates the manifests of {@code platforms}, writing nothing.
   *
   * @throws TemplateException at the first platform that cannot be generated; the message names the platform.
   */
  public List<GeneratedManifest> generate(Collection<Platform> platforms, TemplateExpander expander)
      throws TemplateException {
    Objects.requireNonNull(expander, "expander");
    List<GeneratedManifest> manifests = new ArrayList<>();
    for (Platform platform : platforms) {
      manifests.add(expander.expand(template, platform));
    }
    return manifests;
  }

  /**
   * Writes a manifest to {@link #outputFile(Platform)}, creating {@code config/}.
   *
   * @return The file written.
   */
  public Path write(GeneratedManifest manifest) throws IOException {
    Path output = outputFile(manifest.platform());
    Files.createDirectories(output.getParent());
    Files.writeString(output, ManifestJson.write(manifest.manifest()), StandardCharsets.UTF_8);
    return output;
  }
}
