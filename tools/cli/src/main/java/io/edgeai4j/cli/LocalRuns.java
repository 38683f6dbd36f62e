package io.edgeai4j.cli;

import io.edgeai4j.cli.manifest.ManifestCheck;
import io.edgeai4j.deployment.ModuleDescriptors;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.process.RestartPolicy;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.RuntimeStartException;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.edgeai4j.runtime.manifest.ManifestException;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code edge run} and {@code edge demo} share: reading the manifest (validated first), a metrics registry, and
 * waiting for the end.
 */
public final class LocalRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalRuns() {}

  /**
   * Waits until the runtime stops: after {@code duration} when given, or on SIGTERM/Ctrl-C (a shutdown hook
   * closes it).
   */
  public static void awaitEnd(LocalEdgeRuntime runtime, Duration duration, PrintWriter err, String name)
      throws InterruptedException {
    awaitEnd(runtime::close, runtime::awaitStopped, duration, err, name);
  }

  /** Blocks until a run has stopped. */
  @FunctionalInterface
  public interface Stopped {
    /** Returns once the run has stopped. */
    void await() throws InterruptedException;
  }

  /**
   * Waits until a run (one runtime, or a device hierarchy) stops: {@code close} runs after {@code duration} when
   * given, or on SIGTERM/Ctrl-C (a shutdown hook).
   */
  public static void awaitEnd(Runnable close, Stopped stopped, Duration duration, PrintWriter err, String name)
      throws InterruptedException {
    Thread hook = new Thread(close, name.replace(' ', '-') + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (duration != null) {
      Thread timer = new Thread(() -> {
        try {
          Thread.sleep(duration.toMillis());
          err.println(name + ": " + DurationConverter.format(duration) + " elapsed; stopping");
          err.flush();
          close.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, name.replace(' ', '-') + "-duration");
      timer.setDaemon(true);
      timer.start();
    }
    stopped.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook has run
    }
  }

  /**
   * Reads a manifest to run. It is judged first by the deployment validator, as {@code edge manifest validate} judges
   * it: its report goes to {@code err} in the same lines, and a manifest with errors is refused (warnings are not
   * fatal). Then the local runtime's parser turns it into the runtime's model; it refuses only what running
   * in-process cannot honour. Every refusal is printed, as {@code <name>: cannot run <file>: <why>}.
   *
   * @param file The manifest.
   * @param modulesDirectory The folder of module folders whose {@code module.json} declare inputs and outputs, or
   *     {@code null} for {@code modules/} in the working directory if there is one.
   * @param err Where the report and refusals go.
   * @param name The command, e.g. {@code edge run}.
   * @return The manifest, or empty when it is refused: exit with {@link #refusalExitCode(Path)}.
   */
  public static Optional<DeploymentManifest> readManifest(Path file, Path modulesDirectory, PrintWriter err,
      String name) {
    String refused = name + ": cannot run " + file + ": ";
    try {
      ModuleDescriptors modules;
      try {
        modules = ManifestCheck.descriptors(modulesDirectory);
      } catch (IOException e) {
        return refuse(err, name + ": --modules: " + e.getMessage());
      }
      ManifestCheck.Checked checked;
      try {
        checked = ManifestCheck.check(file, modules);
      } catch (NoSuchFileException e) {
        return refuse(err, refused + "no such file");
      } catch (IOException e) {
        return refuse(err, refused + "cannot read it: " + e.getMessage());
      }
      ManifestCheck.print(err, file, checked.report());
      if (!checked.report().valid()) {
        return refuse(err, refused + "the manifest is invalid (the problems above)");
      }
      return Optional.of(ManifestParser.parse(checked.manifest()));
    } catch (ManifestException e) {
      return refuse(err, refused + e.getMessage());
    }
  }

  /**
   * The exit code of a refused manifest: {@link ExitCodes#NO_INPUT} when the file is not there to read (as
   * {@code edge manifest validate} exits), else {@link ExitCodes#CONFIG}.
   */
  public static int refusalExitCode(Path file) {
    return Files.isReadable(file) ? ExitCodes.CONFIG : ExitCodes.NO_INPUT;
  }

  private static Optional<DeploymentManifest> refuse(PrintWriter err, String line) {
    err.println(line);
    err.flush();
    return Optional.empty();
  }

  /**
   * A started local run: the runtime and, with {@code --mqtt}, its MQTT side. {@link #close()} stops the MQTT side
   * (module processes, then the endpoint) and then the runtime; idempotent.
   *
   * @param runtime The runtime.
   * @param mqtt The endpoint and module processes, when {@code --mqtt} is on.
   */
  public record Started(LocalEdgeRuntime runtime, Optional<MqttRun> mqtt) implements AutoCloseable {
    @Override
    public void close() {
      mqtt.ifPresent(MqttRun::close);
      runtime.close();
    }
  }

  /**
   * Starts the runtime and, when {@code mqtt} is enabled, the endpoint and module processes; a failure is printed as
   * {@code <name>: <why>} and what had started is stopped.
   *
   * @return The run, or empty when it failed (exit with {@link ExitCodes#SOFTWARE}).
   */
  public static Optional<Started> start(DeploymentManifest manifest, Path manifestFile, RuntimeOptions options,
      MqttOptions mqtt, PrintWriter err, String name) {
    Map<String, RestartPolicy> policies;
    try {
      policies = mqtt.modulesAsProcesses() ? RestartPolicy.of(JSON.readTree(manifestFile.toFile())) : Map.of();
    } catch (IOException | IllegalArgumentException e) {
      err.println(name + ": cannot read the restart policies of " + manifestFile + ": " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
    LocalEdgeRuntime runtime;
    try {
      runtime = LocalEdgeRuntime.start(manifest, options);
    } catch (RuntimeStartException e) {
      err.println(name + ": " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
    if (!mqtt.enabled()) {
      return Optional.of(new Started(runtime, Optional.empty()));
    }
    try {
      return Optional.of(new Started(runtime, Optional.of(MqttRun.start(runtime, options, mqtt, policies, err))));
    } catch (MqttRun.StartException e) {
      runtime.close();
      err.println(name + ": " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
  }

  /** A registry of this run's own, with the JVM's metrics in it. */
  public static PrometheusRegistry registry() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    return registry;
  }

}
