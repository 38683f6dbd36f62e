package io.edgeai4j.cli.model;

import io.edgeai4j.cli.DurationConverter;
import io.edgeai4j.cli.ExitCodes;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The IoT Hub options of {@code edge model status|promote|abort}, as {@code publish} has them (a picocli mixin). */
final class HubOptions {
  @Option(names = "--hub-connection-string", paramLabel = "STRING",
      description = "IoT Hub service connection string (a policy with RegistryRead; RegistryWrite for promote and"
          + " abort). Default: $" + PublishCommand.HUB_ENV + ".")
  String hubConnectionString;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "For each IoT Hub request. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  /** The hub's configurations API, from the option or the environment. */
  HubConfigurations configurations() throws RolloutException {
    String connection = hubConnectionString != null ? hubConnectionString : System.getenv(PublishCommand.HUB_ENV);
    String source = hubConnectionString != null ? "--hub-connection-string" : PublishCommand.HUB_ENV;
    if (connection == null || connection.isBlank()) {
      throw new RolloutException(ExitCodes.USAGE, "--hub-connection-string: missing (nor is " + PublishCommand.HUB_ENV
          + " set); expected an IoT Hub service connection string");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new RolloutException(ExitCodes.USAGE, "--timeout: expected a positive duration, found " + timeout);
    }
    try {
      return new HubConfigurations(HubConnection.parse(connection, source), timeout);
    } catch (IllegalArgumentException e) {
      throw new RolloutException(ExitCodes.USAGE, e.getMessage(), e);
    }
  }

  /** Checks a model name as publish does (a twin key, no '.'). */
  static String model(String name) throws RolloutException {
    if (!name.matches("[A-Za-z0-9_-]{1,128}")) {
      throw new RolloutException(ExitCodes.USAGE, "<model>: expected 1 to 128 characters from A-Z a-z 0-9 _ -,"
          + " found '" + name + "'");
    }
    return name;
  }

  /** Runs a command body, printing a failure as {@code edge model <command>: <message>}; returns the exit code. */
  static int run(String command, PrintWriter err, Body body) {
    try {
      return body.run();
    } catch (RolloutException e) {
      err.println("edge model " + command + ": " + e.getMessage());
      if (e.exitCode() == ExitCodes.USAGE) {
        err.println("(edge model " + command + " --help lists the options)");
      }
      return e.exitCode();
    }
  }

  /** A command's body. */
  interface Body {
    int run() throws RolloutException;
  }
}
