package io.edgeai4j.cli.manifest;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.deployment.ModuleDescriptors;
import java.io.IOException;
import java.io.PrintWriter;
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
      "Prints each problem as <pointer>: <reason> (warnings as warning: <pointer>: <reason>); edge run and edge demo"
          + " run the same check first and print the same lines.",
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
      modules = ManifestCheck.descriptors(modulesDirectory);
    } catch (IOException e) {
      err.println("edge manifest validate: --modules: " + e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    ManifestCheck.Checked checked;
    try {
      checked = ManifestCheck.check(file, modules);
    } catch (NoSuchFileException e) {
      err.println("edge manifest validate: " + file + " does not exist");
      return ExitCodes.NO_INPUT;
    } catch (IOException e) {
      err.println("edge manifest validate: cannot read " + file + ": " + e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    ManifestCheck.print(out, file, checked.report());
    return checked.report().valid() ? ExitCodes.OK : INVALID;
  }
}
