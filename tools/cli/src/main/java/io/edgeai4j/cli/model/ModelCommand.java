package io.edgeai4j.cli.model;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code edge model keygen|pack|publish}: the cloud side of model updates (docs/model-updates.md). */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Model releases: signing keys, and publishing a model version to one device or a fleet.",
    subcommands = {KeygenCommand.class, PackCommand.class, PublishCommand.class})
public final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
