package io.edgeai4j.cli.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.deployment.ManifestJson;
import io.edgeai4j.deployment.ManifestValidator;
import io.edgeai4j.deployment.ModuleDescriptors;
import io.edgeai4j.deployment.Problem;
import io.edgeai4j.deployment.Severity;
import io.edgeai4j.deployment.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a manifest file and judges it with the deployment validator ({@link ManifestValidator}): the one check that
 * {@code edge manifest validate}, {@code edge run} and {@code edge demo} share, so that they accept and refuse the same
 * manifests and print the same problems in the same words.
 */
public final class ManifestCheck {
  private ManifestCheck() {}

  /**
   * A manifest file as read and judged.
   *
   * @param manifest The JSON, or {@code null} when the file is not JSON or is empty (the report says which).
   * @param report The problems.
   */
  public record Checked(JsonNode manifest, ValidationReport report) {}

  /**
   * The module descriptors to check routes against: those of {@code directory}, or when it is {@code null} those of
   * {@code modules/} in the working directory if there is one, else none (then a route into a module is a warning).
   *
   * @throws IOException If a directory that was named, or found, cannot be read.
   */
  public static ModuleDescriptors descriptors(Path directory) throws IOException {
    Path modules = directory != null ? directory : Path.of("modules");
    return directory != null || Files.isDirectory(modules) ? ModuleDescriptors.load(modules)
        : ModuleDescriptors.none();
  }

  /**
   * Reads and validates a manifest file. A file that is not JSON, or is empty, is one error at {@code ""}.
   *
   * @throws java.nio.file.NoSuchFileException If the file does not exist.
   * @throws IOException If it cannot be read.
   */
  public static Checked check(Path file, ModuleDescriptors modules) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    JsonNode manifest;
    try {
      manifest = ManifestJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return new Checked(null, new ValidationReport(List.of(Problem.error("", "not JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()))));
    }
    if (manifest == null || manifest.isMissingNode()) {
      return new Checked(null, new ValidationReport(List.of(Problem.error("", "the file is empty"))));
    }
    return new Checked(manifest, new ValidationReport(new ManifestValidator(modules).validate(manifest).problems()));
  }

  /**
   * Prints a report as {@code edge manifest validate} does: each problem as {@code <pointer>: <reason>} (a warning
   * as {@code warning: <pointer>: <reason>}), then {@code <file>: valid|invalid, <n> error(s), <m> warning(s)}.
   */
  public static void print(PrintWriter out, Path file, ValidationReport report) {
    for (Problem problem : report.problems()) {
      out.println(problem.severity() == Severity.WARNING ? "warning: " + problem : problem);
    }
    out.println(file + ": " + (report.valid() ? "valid" : "invalid") + ", " + report.errors().size() + " error(s), "
        + report.warnings().size() + " warning(s)");
    out.flush();
  }
}
