package io.edgeai4j.cli.module;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code edge module ...}: what a module run by hand needs to connect to {@code edge run --mqtt}. */
@Command(name = "module", mixinStandardHelpOptions = true,
    description = "Module identities of the local runtime's edgeHub-compatible MQTT endpoint (edge run --mqtt).",
    subcommands = {CredentialsCommand.class})
public final class ModuleCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
