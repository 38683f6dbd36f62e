package io.edgeai4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code edge} command. */
@Command(
    name = "edge",
    mixinStandardHelpOptions = true,
    versionProvider = EdgeCli.Version.class,
    description = "edgeai4j: run Azure IoT Edge deployments locally, test routes, drive twins and methods,"
        + " publish models.",
    subcommands = {
      RunCommand.class,
      io.edgeai4j.cli.demo.DemoCommand.class,
      RouteCommand.class,
      TwinCommand.class,
      MethodCommand.class,
      DoctorCommand.class,
      io.edgeai4j.cli.model.ModelCommand.class,
      io.edgeai4j.cli.manifest.ManifestCommand.class,
      io.edgeai4j.cli.module.ModuleCommand.class,
      CommandLine.HelpCommand.class
    })
public final class EdgeCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line.
   *
   * @param args The arguments.
   */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code, without exiting. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Returns the configured command line, to run with other output streams. */
  public static CommandLine commandLine() {
    return new CommandLine(new EdgeCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = EdgeCli.class.getPackage().getImplementationVersion();
      return new String[] {"edgeai4j " + (v == null ? "(development build)" : v)};
    }
  }
}
