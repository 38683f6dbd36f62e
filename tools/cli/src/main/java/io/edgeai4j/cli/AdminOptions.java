package io.edgeai4j.cli;

import io.edgeai4j.runtime.RuntimeOptions;
import picocli.CommandLine.Option;

/** The option that finds a running {@code edge run}. */
final class AdminOptions {
  @Option(names = "--admin-port", defaultValue = "" + RuntimeOptions.DEFAULT_ADMIN_PORT,
      description = "Admin port of the running 'edge run' (default: ${DEFAULT-VALUE}).")
  int port;
}
