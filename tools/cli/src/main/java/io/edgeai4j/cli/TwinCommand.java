package io.edgeai4j.cli;

import io.edgeai4j.runtime.AdminToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge twin get|patch}: module twins of a running {@code edge run}. */
@Command(name = "twin", mixinStandardHelpOptions = true,
    description = "Reads and patches module twins of a running 'edge run'.",
    subcommands = {TwinCommand.Get.class, TwinCommand.Patch.class})
final class TwinCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code edge twin get <module>}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints a module's whole twin.")
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Parameters(index = "0", paramLabel = "<module>") String module;

    @Override
    public Integer call() throws IOException {
      return AdminCall.run(spec, admin, "GET", "/twins/" + enc(module), null, Duration.ofSeconds(10));
    }
  }

  /** {@code edge twin patch <module> '<json>'}. */
  @Command(name = "patch", mixinStandardHelpOptions = true,
      description = "Patches a module's desired properties (null deletes a key) and prints the twin.")
  static final class Patch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Parameters(index = "0", paramLabel = "<module>") String module;
    @Parameters(index = "1", paramLabel = "<json>", description = "The patch, e.g. '{\"threshold\": 30}'.")
    String patch;

    @Override
    public Integer call() throws IOException {
      String body;
      try {
        body = AdminClient.requireJsonObject(patch, "the patch");
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("edge twin patch: " + e.getMessage());
        return ExitCodes.DATA_ERROR;
      }
      return AdminCall.run(spec, admin, "PATCH", "/twins/" + enc(module) + "/desired", body,
          Duration.ofSeconds(10));
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Runs one admin request and prints its answer. */
  static final class AdminCall {
    private AdminCall() {}

    static int run(CommandSpec spec, AdminOptions admin, String method, String path, String body,
        Duration timeout) throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String command = "edge " + spec.qualifiedName(" ").replaceFirst("^edge ", "");
      AdminOptions.Token token;
      try {
        token = admin.token(System.getenv());
      } catch (IOException e) {
        err.println(command + ": " + e.getMessage());
        return ExitCodes.NO_INPUT;
      }
      try {
        AdminClient.Answer answer = new AdminClient(admin.port, token.value().orElse(null))
            .send(method, path, body, timeout);
        if (answer.status() != 200) {
          String message = answer.body().path("message").asText(answer.body().toString());
          if (answer.status() == 401) {
            err.println(command + ": the 'edge run' on port " + admin.port + " refused the token from "
                + token.source() + " (HTTP 401: " + message + "); is it the token of the run on this port?"
                + " Pass --admin-token-file or set $" + io.edgeai4j.runtime.AdminToken.ENV + ".");
            return ExitCodes.UNAVAILABLE;
          }
          err.println(command + ": " + message);
          return answer.status() == 404 ? ExitCodes.DATA_ERROR : ExitCodes.SOFTWARE;
        }
        out.println(AdminClient.pretty(answer.body()));
        if (path.startsWith("/methods/") && answer.body().path("status").asInt(500) >= 400) {
          return ExitCodes.METHOD_FAILED;
        }
        return ExitCodes.OK;
      } catch (AdminClient.Unreachable e) {
        err.println(command + ": " + e.getMessage());
        return ExitCodes.UNAVAILABLE;
      }
    }
  }
}
