package io.edgeai4j.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code module.json} descriptors of a modules directory ({@code <dir>/<folder>/module.json}, iotedgedev's
 * layout), by folder and by image. Immutable.
 */
public final class ModuleDescriptors {
  /** The descriptor file in each module folder. */
  public static final String FILE_NAME = "module.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ModuleDescriptor> byFolder;

  private ModuleDescriptors(Map<String, ModuleDescriptor> byFolder) {
    this.byFolder = Map.copyOf(byFolder);
  }

  /** No descriptors: every module is foreign. */
  public static ModuleDescriptors none() {
    return new ModuleDescriptors(Map.of());
  }

  /** The given descriptors. */
  public static ModuleDescriptors of(List<ModuleDescriptor> descriptors) {
    Map<String, ModuleDescriptor> byFolder = new LinkedHashMap<>();
    descriptors.forEach(descriptor -> byFolder.put(descriptor.folder(), descriptor));
    return new ModuleDescriptors(byFolder);
  }

  /**
   * Reads every {@code <folder>/module.json} directly under {@code modulesDirectory}; folders without one are
   * skipped.
   *
   * @throws IOException if the directory or a file cannot be read, or a file is not a descriptor: the message names
   *     the file, the JSON pointer and what was expected.
   */
  public static ModuleDescriptors load(Path modulesDirectory) throws IOException {
    Map<String, ModuleDescriptor> byFolder = new TreeMap<>();
    try (Stream<Path> folders = Files.list(modulesDirectory)) {
      for (Path folder : folders.sorted().toList()) {
        Path file = folder.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
          String name = folder.getFileName().toString();
          byFolder.put(name, parse(name, file));
        }
      }
    }
    return new ModuleDescriptors(byFolder);
  }

  /** Parses one {@code module.json}. */
  static ModuleDescriptor parse(String folder, Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": \"\": expected a JSON object");
    }
    String repository = requiredText(file, root, "/image/repository");
    String version = requiredText(file, root, "/image/tag/version");
    JsonNode platformsNode = root.at("/image/tag/platforms");
    if (!platformsNode.isObject() || platformsNode.isEmpty()) {
      throw new IOException(file + ": /image/tag/platforms: expected an object of platform to Dockerfile");
    }
    Map<String, Path> platforms = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = platformsNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new IOException(file + ": " + JsonPointers.child("/image/tag/platforms", entry.getKey())
            + ": expected the Dockerfile's path as a string");
      }
      platforms.put(entry.getKey(), Path.of(entry.getValue().textValue()));
    }
    try {
      return new ModuleDescriptor(folder, repository, version, platforms, endpoints(file, root));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<ModuleDescriptor.Endpoints> endpoints(Path file, JsonNode root) throws IOException {
    JsonNode section = root.get("edgeai4j");
    if (section == null) {
      return Optional.empty();
    }
    if (!section.isObject()) {
      throw new IOException(file + ": /edgeai4j: expected an object {module, inputs, outputs, methods}");
    }
    return Optional.of(new ModuleDescriptor.Endpoints(requiredText(file, root, "/edgeai4j/module"),
        names(file, root, "/edgeai4j/inputs"), names(file, root, "/edgeai4j/outputs"),
        names(file, root, "/edgeai4j/methods")));
  }

  private static String requiredText(Path file, JsonNode root, String pointer) throws IOException {
    JsonNode node = root.at(pointer);
    if (!node.isTextual() || node.textValue().isBlank()) {
      throw new IOException(file + ": " + pointer + ": expected a non-empty string, found "
          + (node.isMissingNode() ? "nothing" : node.toString()));
    }
    return node.textValue();
  }

  private static List<String> names(Path file, JsonNode root, String pointer) throws IOException {
    JsonNode node = root.at(pointer);
    if (node.isMissingNode()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IOException(file + ": " + pointer + ": expected an array of names, found " + node);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw new IOException(file + ": " + pointer + "/" + i + ": expected a name, found " + node.get(i));
      }
      names.add(node.get(i).textValue());
    }
    return names;
  }

  /** The descriptor of a module folder. */
  public Optional<ModuleDescriptor> byFolder(String folder) {
    return Optional.ofNullable(byFolder.get(folder));
  }

  /** The descriptor whose repository the image is of (the first by folder name if several match). */
  public Optional<ModuleDescriptor> forImage(String image) {
    return byFolder.values().stream().sorted(java.util.Comparator.comparing(ModuleDescriptor::folder))
        .filter(descriptor -> descriptor.matchesImage(image)).findFirst();
  }

  /** The folder names, sorted. */
  public List<String> folders() {
    return byFolder.keySet().stream().sorted().toList();
  }
}
