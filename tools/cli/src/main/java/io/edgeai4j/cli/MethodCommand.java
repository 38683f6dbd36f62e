package io.edgeai4j.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge method invoke}: direct methods on modules of a running {@code edge run}. */
@Command(name = "method", mixinStandardHelpOptions = true,
    description = "Invokes direct methods on modules of a running 'edge run'.",
    subcommands = {MethodCommand.Invoke.class})
final class MethodCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code edge method invoke <module> <method> '<json>'}. */
  @Command(name = "invoke", mixinStandardHelpOptions = true,
      description = "Invokes a direct method and prints {\"status\": ..., \"payload\": ...}.")
  static final class Invoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Parameters(index = "0", paramLabel = "<module>") String module;
    @Parameters(index = "1", paramLabel = "<method>") String method;
    @Parameters(index = "2", paramLabel = "<json>", defaultValue = "null",
        description = "The payload (default: null).")
    String payload;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "<seconds>",
        description = "Seconds to wait for the answer, 1 to 300 as on edgeHub (default: ${DEFAULT-VALUE}).")
    int timeoutSecs;

    @Override
    public Integer call() throws IOException {
      String body;
      try {
        body = AdminClient.requireJson(payload, "the payload");
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("edge method invoke: " + e.getMessage());
        return ExitCodes.DATA_ERROR;
      }
      if (timeoutSecs < 1 || timeoutSecs > 300) {
        spec.commandLine().getErr().println("edge method invoke: --timeout must be from 1 to 300, found "
            + timeoutSecs);
        return ExitCodes.DATA_ERROR;
      }
      return TwinCommand.AdminCall.run(spec, admin, "POST", "/methods/" + TwinCommand.enc(module) + "/"
          + TwinCommand.enc(method) + "?timeoutSecs=" + timeoutSecs, body,
          Duration.ofSeconds(timeoutSecs + 5L));
    }
  }
}
