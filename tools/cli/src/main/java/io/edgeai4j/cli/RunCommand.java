package io.edgeai4j.cli;

import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.ModuleRole;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.RuntimeStartException;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge run <manifest>}: runs a deployment manifest on this machine. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a deployment manifest on this machine, with no cloud and no Docker.",
      "The manifest is checked first as edge manifest validate checks it (the same problems, printed the same way"
          + " on standard error); one with errors is refused, warnings are not fatal.",
      "Modules whose image names an edgeai4j module (e.g. .../threshold-filter:0.1.0) run in-process;"
          + " others are external: not started, but their routes, queues and twins exist.",
      "$upstream messages go to standard output and to a JSON Lines file; logs go to standard error."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RuntimePorts ports;

  @Parameters(index = "0", paramLabel = "<manifest>", description = "The deployment manifest (JSON).")
  Path manifestFile;

  @Option(names = "--modules", paramLabel = "DIR", description = "As for edge manifest validate: the folder of module"
      + " folders whose module.json declare inputs and outputs. Default: modules/ in the working directory if it"
      + " exists.")
  Path modulesDirectory;

  @Option(names = "--device-id", defaultValue = "local-edge-device",
      description = "The device id modules see (default: ${DEFAULT-VALUE}).")
  String deviceId;

  @Option(names = "--upstream-file", defaultValue = "edge-upstream.jsonl",
      description = "JSON Lines file $upstream messages are appended to (default: ${DEFAULT-VALUE}).")
  Path upstreamFile;

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 30s, 5m or PT1M (default: run until interrupted).")
  Duration duration;

  @Option(names = "--quiet", description = "Do not echo $upstream messages to standard output.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(err);
    } catch (RuntimeException e) {
      err.println("edge run: cannot run " + manifestFile + ": " + e);
      err.flush();
      return ExitCodes.SOFTWARE;
    }
  }

  private int run(PrintWriter err) throws InterruptedException {
    Optional<DeploymentManifest> read = LocalRuns.readManifest(manifestFile, modulesDirectory, err, "edge run");
    if (read.isEmpty()) {
      return LocalRuns.refusalExitCode(manifestFile);
    }
    DeploymentManifest manifest = read.get();
    RuntimeOptions options = ports.applyTo(RuntimeOptions.builder())
        .deviceId(deviceId)
        .upstreamFile(upstreamFile)
        .console(quiet ? null : System.out)
        .registry(LocalRuns.registry())
        .build();
    LocalEdgeRuntime runtime;
    try {
      runtime = LocalEdgeRuntime.start(manifest, options);
    } catch (RuntimeStartException e) {
      err.println("edge run: " + e.getMessage());
      err.flush();
      return ExitCodes.SOFTWARE;
    }
    printSummary(err, runtime);
    LocalRuns.awaitEnd(runtime, duration, err, "edge run");
    return ExitCodes.OK;
  }

  static void printSummary(PrintWriter err, LocalEdgeRuntime runtime) {
    err.println("edge run: " + runtime.manifest().modules().size() + " modules, "
        + runtime.manifest().routes().size() + " routes");
    for (Map.Entry<String, ModuleRole> e : runtime.roles().entrySet()) {
      String image = runtime.manifest().module(e.getKey()).map(m -> m.image()).orElse("?");
      err.printf("  %-24s %-8s %s%n", e.getKey(), e.getValue().name().toLowerCase(java.util.Locale.ROOT), image);
    }
    err.println("  admin:    http://127.0.0.1:" + runtime.adminPort() + "  (edge twin / edge method; token in "
        + runtime.adminTokenFile().toAbsolutePath() + ")");
    if (runtime.metricsPort() >= 0) {
      err.println("  metrics:  http://localhost:" + runtime.metricsPort() + "/metrics");
    }
    err.println("  upstream: " + runtime.upstreamFile().toAbsolutePath());
    err.flush();
  }
}
