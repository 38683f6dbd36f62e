package io.edgeai4j.cli.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.deployment.ManifestJson;
import io.edgeai4j.deployment.ManifestValidator;
import io.edgeai4j.deployment.ModuleDescriptors;
import io.edgeai4j.deployment.Problem;
import io.edgeai4j.deployment.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge manifest validate FILE [--modules DIR]}. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {
      "Checks a deployment manifest for what az iot edge set-modules lets through: schemas of $edgeAgent (1.0, 1.1)"
          + " and $edgeHub (1.0-1.3), routes (they compile; their modules, outputs and inputs exist), createOptions"
          + " (JSON, GPU Capabilities, absolute binds), twin sizes, module and env names, image tags, restart"
          + " policies.",
      "Prints each problem as <pointer>: <reason> (warnings as warning: <pointer>: <reason>).",
      "Exit codes: 0 valid (warnings allowed), 1 invalid, 66 FILE or DIR cannot be read."
    })
final class ValidateCommand implements Callable<Integer> {
  /** The exit code of an invalid manifest. */
  static final int INVALID = 1;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The deployment manifest.")
  Path file;

  @Option(names = "--modules", paramLabel = "DIR", description = "The folder of module folders whose module.json"
      + " declare inputs and outputs (a module's is found by its image repository). Default: modules/ in the"
      + " working directory if it exists; without any, each route into a module is a warning.")
  Path modulesDirectory;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ModuleDescriptors modules;
    try {
      Path directory = modulesDirectory != null ? modulesDirectory : Path.of("modules");
      modules = modulesDirectory != null || Files.isDirectory(directory) ? ModuleDescriptors.load(directory)
          : ModuleDescriptors.none();
    } catch (IOException e) {
      err.println("edge manifest validate: --modules: " + e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    JsonNode manifest;
    try {
      manifest = ManifestJson.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      err.println("edge manifest validate: " + file + " does not exist");
      return ExitCodes.NO_INPUT;
    } catch (JsonProcessingException e) {
      out.println("\"\": not JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr());
      return INVALID;
    } catch (IOException e) {
      err.println("edge manifest validate: cannot read " + file + ": " + e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    if (manifest == null) {
      out.println("\"\": the file is empty");
      return INVALID;
    }
    ValidationReport report = new ManifestValidator(modules).validate(manifest);
    for (Problem problem : report.problems()) {
      out.println(problem.severity() == io.edgeai4j.deployment.Severity.WARNING ? "warning: " + problem : problem);
    }
    out.println(file + ": " + (report.valid() ? "valid" : "invalid") + ", " + report.errors().size() + " error(s), "
        + report.warnings().size() + " warning(s)");
    return report.valid() ? ExitCodes.OK : INVALID;
  }
}
