package io.edgeai4j.cli;

import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.ModuleRole;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code edge run <manifest>}: runs a deployment manifest on this machine; {@code edge run --device NAME=MANIFEST ...
 * --link CHILD-PARENT=SPEC ...} runs several as a nested IoT Edge hierarchy ({@link DevicesRun}).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a deployment manifest on this machine, with no cloud and no Docker.",
      "The manifest is checked first as edge manifest validate checks it (the same problems, printed the same way"
          + " on standard error); one with errors is refused, warnings are not fatal.",
      "Modules whose image names an edgeai4j module (e.g. .../threshold-filter:0.1.0) run in-process;"
          + " others are external: not started, but their routes, queues and twins exist.",
      "$upstream messages go to standard output and to a JSON Lines file; logs go to standard error.",
      "With --mqtt, edge run also serves MQTT 3.1.1 over TLS as edgeHub does (127.0.0.1:8883 by default), with a key"
          + " for every module of the manifest and an edge CA kept in the state directory, so that modules run as"
          + " separate processes or containers connect with the unmodified Azure IoT SDK: edge module credentials"
          + " <module> prints their EdgeHubConnectionString and EdgeModuleCACertificateFile. With"
          + " --modules-as-processes, every module edgeai4j provides runs as its own process connected that way.",
      "With --device NAME=MANIFEST (repeated) instead of <manifest>, each manifest runs as its own IoT Edge device"
          + " (device id NAME), and --link CHILD-PARENT=BANDWIDTH/LATENCY[/LOSS%%] carries a child's $upstream to its"
          + " parent's edgeHub over an emulated link, as in nested IoT Edge: e.g. edge run --device"
          + " sensor=child.json --device node=parent.json --link sensor-node=10Mbit/20ms. The device given n-th"
          + " (from 0) gets --admin-port + n and --metrics-port + n; --upstream-file, --quiet and the $upstream"
          + " output apply to the top device."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RuntimePorts ports;

  @Mixin MqttOptions mqtt;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<manifest>",
      description = "The deployment manifest (JSON); or give --device instead.")
  Path manifestFile;

  @Option(names = "--device", paramLabel = "NAME=MANIFEST",
      description = "A device of a nested hierarchy: its name (also its device id) and its manifest. Repeatable.")
  List<String> devices = new ArrayList<>();

  @Option(names = "--link", paramLabel = "CHILD-PARENT=SPEC",
      description = "The link from a child device to its parent, e.g. sensor-node=10Mbit/20ms or"
          + " sensor-node=1Mbit/50ms/2%% (bandwidth in bit, kbit, Mbit or Gbit per second; one-way latency in us, ms"
          + " or s; optional loss). Repeatable; each child has exactly one parent.")
  List<String> links = new ArrayList<>();

  @Option(names = "--modules", paramLabel = "DIR", description = "As for edge manifest validate: the folder of module"
      + " folders whose module.json declare inputs and outputs. Default: modules/ in the working directory if it"
      + " exists.")
  Path modulesDirectory;

  @Option(names = "--device-id", defaultValue = "local-edge-device",
      description = "The device id modules see (default: ${DEFAULT-VALUE}); with --device, each device's id is its"
          + " NAME.")
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
    if (!devices.isEmpty() || !links.isEmpty()) {
      return new DevicesRun(this, err).run();
    }
    if (manifestFile == null) {
      err.println("edge run: no manifest given; expected edge run <manifest>, or edge run --device NAME=MANIFEST"
          + " [--device ...] [--link CHILD-PARENT=SPEC ...]");
      err.flush();
      return ExitCodes.USAGE;
    }
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
    RuntimeOptions options = MqttRun.applyTo(ports.applyTo(RuntimeOptions.builder()), mqtt, manifest.modules(),
            deviceId)
        .deviceId(deviceId)
        .upstreamFile(upstreamFile)
        .console(quiet ? null : System.out)
        .registry(LocalRuns.registry())
        .build();
    Optional<LocalRuns.Started> started = LocalRuns.start(manifest, manifestFile, options, mqtt, err, "edge run");
    if (started.isEmpty()) {
      return ExitCodes.SOFTWARE;
    }
    printSummary(err, started.get().runtime());
    started.get().mqtt().ifPresent(m -> m.printSummary(err));
    LocalRuns.awaitEnd(started.get()::close, started.get().runtime()::awaitStopped, duration, err, "edge run");
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
    err.println("  store:    " + (runtime.storeDirectory() == null ? "in memory (lost at stop)"
        : runtime.storeDirectory().toAbsolutePath() + " (kept across runs)"));
    err.flush();
  }
}
