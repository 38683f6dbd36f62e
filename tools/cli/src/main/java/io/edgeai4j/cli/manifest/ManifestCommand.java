package io.edgeai4j.cli.manifest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code edge manifest generate|validate}. */
@Command(name = "manifest", mixinStandardHelpOptions = true,
    description = "Deployment manifests: generate them from deployment.template.json for each platform, and validate"
        + " them before az iot edge set-modules.",
    subcommands = {GenerateCommand.class, ValidateCommand.class})
public final class ManifestCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
