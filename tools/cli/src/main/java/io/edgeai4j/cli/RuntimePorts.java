package io.edgeai4j.cli;

import io.edgeai4j.runtime.RuntimeOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The ports of a local run, shared by {@code edge run} and {@code edge demo} (a picocli mixin). */
public final class RuntimePorts {
  @Option(names = "--admin-port", defaultValue = "" + RuntimeOptions.DEFAULT_ADMIN_PORT,
      description = "Loopback port of the admin endpoint used by 'edge twin' and 'edge method'"
          + " (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int adminPort;

  @Option(names = "--admin-token-file", paramLabel = "<file>",
      description = "Where to write the admin token, readable by the user only and removed at stop"
          + " (default: admin-<port>.token in the user's state directory, where 'edge twin' and 'edge method'"
          + " look for it).")
  Path adminTokenFile;

  @Option(names = "--metrics-port", defaultValue = "" + RuntimeOptions.DEFAULT_METRICS_PORT,
      description = "Port of /metrics and /health/{live,ready} (default: ${DEFAULT-VALUE}; -1 turns them off).")
  int metricsPort;

  /** Sets both ports on a runtime's options. */
  public RuntimeOptions.Builder applyTo(RuntimeOptions.Builder options) {
    return options.adminPort(adminPort)
        .adminTokenFile(adminTokenFile)
        .metricsAddress(metricsPort < 0 ? null : new InetSocketAddress(metricsPort));
  }
}
