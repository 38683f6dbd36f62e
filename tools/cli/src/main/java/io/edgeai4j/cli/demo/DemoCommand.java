package io.edgeai4j.cli.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.DurationConverter;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.cli.LocalRuns;
import io.edgeai4j.cli.MqttOptions;
import io.edgeai4j.cli.MqttRun;
import io.edgeai4j.cli.RuntimePorts;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edge demo}: the predictive-maintenance pipeline on this machine, on ONNX Runtime CPU: simulated
 * machines with injected faults, sensor ingestion, the fault classifier in the inference module, alerts to
 * {@code $upstream}. Prints alerts as they happen, a live one-line summary, and at the end the detection
 * quality against the simulator's ground truth.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the predictive-maintenance demo locally (no cloud, no Docker): simulated machines with injected"
          + " faults -> sensor-ingestion features -> fault classifier (ONNX Runtime CPU) -> alerts.",
      "Prints alerts as they happen, a live summary, and the detection quality against the simulator's ground"
          + " truth (precision, recall, time to detect).",
      "--modules-as-processes runs each module as its own process connected over MQTT to the edgeHub-compatible"
          + " endpoint (as on a device); the score is computed the same way."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEVICE_ID = "local-edge-device";

  @Spec CommandSpec spec;

  @Mixin RuntimePorts ports;

  @Mixin MqttOptions mqtt;

  @Option(names = "--manifest", defaultValue = "deployment-manifests/predictive-maintenance.json",
      description = "The deployment manifest (default: ${DEFAULT-VALUE}).")
  Path manifestFile;

  @Option(names = "--modules", paramLabel = "DIR", description = "As for edge manifest validate: the folder of module"
      + " folders whose module.json declare inputs and outputs. Default: modules/ in the working directory if it"
      + " exists.")
  Path modulesDirectory;

  @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "90s",
      description = "How long to run (default: ${DEFAULT-VALUE}); the faults start 15 s, 25 s and 35 s in.")
  Duration duration;

  @Option(names = "--upstream-file", defaultValue = "edge-demo-upstream.jsonl",
      description = "JSON Lines file of every $upstream message (default: ${DEFAULT-VALUE}).")
  Path upstreamFile;

  @Option(names = "--verbose", description = "Keep the modules' INFO logs on standard error.")
  boolean verbose;

  private final DetectionScore score = new DetectionScore();
  private final AtomicLong errors = new AtomicLong();
  private volatile Instant started;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (!verbose) {
      ((Logger) LoggerFactory.getLogger("io.edgeai4j")).setLevel(Level.WARN);
    }
    Optional<DeploymentManifest> read = LocalRuns.readManifest(manifestFile, modulesDirectory, err, "edge demo");
    if (read.isEmpty()) {
      return LocalRuns.refusalExitCode(manifestFile);
    }
    DeploymentManifest manifest = read.get();
    PrintStream upstream = new PrintStream(new UpstreamLines(line -> onUpstream(line, out)), true,
        StandardCharsets.UTF_8);
    RuntimeOptions options = MqttRun.applyTo(ports.applyTo(RuntimeOptions.builder()), mqtt, manifest.modules(),
            DEVICE_ID)
        .deviceId(DEVICE_ID)
        .upstreamFile(upstreamFile)
        .console(upstream)
        .registry(LocalRuns.registry())
        .build();
    started = Instant.now();
    Optional<LocalRuns.Started> run = LocalRuns.start(manifest, manifestFile, options, mqtt, err, "edge demo");
    if (run.isEmpty()) {
      return ExitCodes.SOFTWARE;
    }
    out.println("edge demo: predictive maintenance on ONNX Runtime CPU for " + DurationConverter.format(duration)
        + " (" + manifestFile + "); alerts print as they happen, a summary every 5 s"
        + (mqtt.modulesAsProcesses() ? "; each module runs as its own process over MQTT" : ""));
    out.flush();
    run.get().mqtt().ifPresent(m -> m.printSummary(err));
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edge-demo-summary");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> {
      out.println(summary());
      out.flush();
    }, 5, 5, TimeUnit.SECONDS);
    try {
      LocalRuns.awaitEnd(run.get()::close, run.get().runtime()::awaitStopped, duration, err, "edge demo");
    } finally {
      ticker.shutdownNow();
    }
    report(out);
    return ExitCodes.OK;
  }

  private void onUpstream(String line, PrintWriter out) {
    JsonNode message;
    try {
      message = JSON.readTree(line);
    } catch (IOException e) {
      return;
    }
    String source = message.path("source").asText();
    JsonNode properties = message.path("properties");
    JsonNode body = message.path("body");
    Instant at = instant(message.path("enqueuedTime").asText());
    String machine = properties.path("source").asText(body.path("source").asText("?"));
    String truth = properties.path("label").asText("?");
    if (source.endsWith("/outputs/results/")) {
      if ("error".equals(properties.path("status").asText()) || "error".equals(body.path("status").asText())) {
        errors.incrementAndGet();
        return;
      }
      String prediction = properties.path("prediction").asText(body.path("label").asText("?"));
      double latency = body.path("latencyMillis").path("total").asDouble(Double.NaN);
      score.result(machine, truth, prediction, at, latency);
    } else if (source.endsWith("/outputs/alert/")) {
      score.alert(machine, truth, at);
      out.printf(Locale.ROOT, "ALERT %6.1fs  %-8s %-13s confidence %.2f   (truth: %s)%n",
          Duration.between(started, at).toMillis() / 1000.0, machine, body.path("prediction").asText("?"),
          body.path("confidence").asDouble(Double.NaN), truth);
      out.flush();
    }
  }

  private String summary() {
    return String.format(Locale.ROOT, "demo %5.0fs: %d windows classified, %d alerts (%d on healthy windows),"
        + " %d errors, latency p50 %.2f ms p90 %.2f ms p99 %.2f ms",
        Duration.between(started, Instant.now()).toMillis() / 1000.0, score.windows(), score.alerts(),
        score.falseAlerts(), errors.get(), score.latencyPercentile(50), score.latencyPercentile(90),
        score.latencyPercentile(99));
  }

  private void report(PrintWriter out) {
    out.println();
    out.println("Detection quality against the simulator's ground truth");
    out.println("  " + summary());
    out.printf(Locale.ROOT, "  fault detection over windows: precision %s, recall %s; fault kind right on %s of"
        + " faulty windows%n", percent(score.precision()), percent(score.recall()), percent(score.kindAccuracy()));
    for (Map.Entry<String, DetectionScore.Detection> e : score.detections().entrySet()) {
      DetectionScore.Detection d = e.getValue();
      out.printf(Locale.ROOT, "  %-8s %-13s onset %5.1fs   %s%n", e.getKey(), d.fault(),
          Duration.between(started, d.onset()).toMillis() / 1000.0,
          d.timeToDetect() == null ? "NOT DETECTED" : String.format(Locale.ROOT, "detected after %.1f s",
              d.timeToDetect().toMillis() / 1000.0));
    }
    out.println("  windows by true class -> predicted class: " + score.confusion());
    out.flush();
  }

  private static String percent(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", ratio * 100);
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      return Instant.now();
    }
  }
}
