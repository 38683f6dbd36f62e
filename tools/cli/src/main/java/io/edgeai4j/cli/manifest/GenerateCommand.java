package io.edgeai4j.cli.manifest;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.deployment.DeploymentTemplate;
import io.edgeai4j.deployment.GeneratedManifest;
import io.edgeai4j.deployment.ModuleDescriptors;
import io.edgeai4j.deployment.Platform;
import io.edgeai4j.deployment.TemplateException;
import io.edgeai4j.deployment.TemplateExpander;
import io.edgeai4j.deployment.Variables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge manifest generate [--platform P]... [--env FILE] [--modules DIR] TEMPLATE}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {
      "Writes config/<prefix>.<platform>.json next to TEMPLATE (deployment.template.json gives"
          + " config/deployment.amd64.json): ${MODULES.<folder>} images from the module.json files, $VAR and ${VAR}"
          + " from the .env file then the environment, x-edgeai4j-platforms overlays applied, createOptions"
          + " stringified and cut into 512-character chunks.",
      "Exit codes: 0 written (warnings printed), 65 the template cannot be generated (the message names the JSON"
          + " pointer), 66 a file cannot be read."
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TEMPLATE", description = "The deployment.template.json.")
  Path template;

  @Option(names = "--platform", paramLabel = "P",
      description = "A platform: amd64, amd64.gpu or arm64v8; repeatable. Default: all three.")
  List<String> platforms = List.of();

  @Option(names = "--env", paramLabel = "FILE",
      description = "The .env file. Default: .env next to TEMPLATE if it exists; else the environment only.")
  Path envFile;

  @Option(names = "--modules", paramLabel = "DIR", description = "The folder of module folders holding module.json."
      + " Default: MODULES_PATH (from .env or the environment) relative to TEMPLATE's folder, else modules/ there.")
  Path modulesDirectory;

  /** The process environment; tests replace it. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Set<Platform> targets = new LinkedHashSet<>();
    try {
      for (String name : platforms) {
        targets.add(Platform.of(name));
      }
    } catch (IllegalArgumentException e) {
      err.println("edge manifest generate: --platform: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (targets.isEmpty()) {
      targets.addAll(Arrays.asList(Platform.values()));
    }
    DeploymentTemplate deploymentTemplate;
    Variables variables;
    ModuleDescriptors modules;
    try {
      deploymentTemplate = DeploymentTemplate.read(template);
      Path templateDirectory = template.toAbsolutePath().getParent();
      Path env = envFile != null ? envFile : templateDirectory.resolve(".env");
      variables = envFile != null || Files.isRegularFile(env) ? Variables.load(env, environment)
          : Variables.of(Map.of(), environment);
      Path modulesPath = modulesDirectory != null ? modulesDirectory
          : templateDirectory.resolve(variables.get("MODULES_PATH").filter(p -> !p.isBlank()).orElse("modules"));
      modules = Files.isDirectory(modulesPath) ? ModuleDescriptors.load(modulesPath) : ModuleDescriptors.none();
    } catch (NoSuchFileException e) {
      err.println("edge manifest generate: " + e.getMessage() + " does not exist");
      return ExitCodes.NO_INPUT;
    } catch (IOException | IllegalArgumentException e) {
      err.println("edge manifest generate: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    TemplateExpander expander = new TemplateExpander(variables, modules);
    try {
      List<GeneratedManifest> manifests = deploymentTemplate.generate(targets, expander);
      for (GeneratedManifest manifest : manifests) {
        Path written = deploymentTemplate.write(manifest);
        for (String warning : manifest.warnings()) {
          err.println("warning: " + manifest.platform() + ": " + warning);
        }
        out.println("wrote " + written);
      }
      return ExitCodes.OK;
    } catch (TemplateException e) {
      err.println("edge manifest generate: " + template + ": " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    } catch (IOException e) {
      err.println("edge manifest generate: cannot write: " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    }
  }
}
