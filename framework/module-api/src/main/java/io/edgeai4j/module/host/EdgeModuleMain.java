package io.edgeai4j.module.host;

import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.DirectoryNotWritableException;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.metrics.MetricsServer;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The entry point of a module's container: {@code java -cp <module>.jar:lib/* io.edgeai4j.module.host.EdgeModuleMain
 * <module-id>} (the module jars name no class path; see tools/packaging-checks).
 *
 * <ol>
 *   <li>Finds the {@link EdgeModuleFactory} whose {@link EdgeModuleFactory#id()} is {@code args[0]}
 *       ({@link ServiceLoader}), and creates the module.
 *   <li>Picks a {@link ModuleTransportProvider} ({@link ServiceLoader}): the one named by
 *       {@value #TRANSPORT_ENV}, or else, of those available in this environment, the one with the highest
 *       {@link ModuleTransportProvider#priority()} (the log says which and why). A named provider that is
 *       unavailable, none available, or a tie at the highest priority fails with a message listing every
 *       provider found, its priority and why it is unavailable.
 *   <li>Serves metrics and health on {@code 0.0.0.0:}{@value MetricsServer#DEFAULT_PORT}
 *       ({@value #METRICS_PORT_ENV} overrides the port; 0 disables the server).
 *   <li>Starts a {@link ModuleHost}, installs a shutdown hook that stops it gracefully on SIGTERM (and waits
 *       for it), and blocks until the host has stopped. A transport that gives up reconnecting
 *       ({@link ConnectionStatus#DISCONNECTED} while running) stops the module too, with
 *       {@link ExitCode#TRANSPORT_UNAVAILABLE}, so that edgeAgent restarts it.
 * </ol>
 *
 * <p>Environment variables read: {@value #TRANSPORT_ENV}, {@value #METRICS_PORT_ENV},
 * {@value #DRAIN_TIMEOUT_ENV} (whole seconds the graceful stop waits for in-flight handlers; default 8,
 * {@link ModuleHost#DEFAULT_DRAIN_TIMEOUT}, to end within Docker's default stop grace period of 10 seconds;
 * raise it only together with the container's stop grace period). The whole environment is also handed to
 * the transport provider and to the module. Only {@link #main(String[])} calls {@link System#exit(int)}; the
 * {@code run} methods return the exit code. A metrics port that cannot be bound fails the start with
 * {@link ExitCode#CONFIGURATION_ERROR} and a message naming {@value #METRICS_PORT_ENV}.
 */
public final class EdgeModuleMain {
  /** Names the transport provider to use, e.g. {@code azure-iot-edge}. */
  public static final String TRANSPORT_ENV = "EDGEAI4J_TRANSPORT";
  /** The port of the metrics and health server; 0 disables it. Default {@value MetricsServer#DEFAULT_PORT}. */
  public static final String METRICS_PORT_ENV = "EDGEAI4J_METRICS_PORT";
  /**
   * Whole seconds a graceful stop waits for in-flight handlers; default {@link ModuleHost#DEFAULT_DRAIN_TIMEOUT}
   * (8). Keep it at least 2 seconds under the container's stop grace period.
   */
  public static final String DRAIN_TIMEOUT_ENV = "EDGEAI4J_DRAIN_TIMEOUT_SECONDS";

  private static final Logger LOG = LoggerFactory.getLogger(EdgeModuleMain.class);

  private EdgeModuleMain() {}

  /**
   * Runs the module named by {@code args[0]} and exits with its {@link ExitCode}.
   *
   * @param args One argument: the id of an {@link EdgeModuleFactory} on the class path.
   */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /**
   * Runs the module named by {@code args[0]} until it stops.
   *
   * @param args One argument: the id of an {@link EdgeModuleFactory} on the class path.
   * @param env The process environment.
   * @return The {@link ExitCode#code()}: {@link ExitCode#USAGE} when the arguments are wrong or name no
   *     factory, {@link ExitCode#MODULE_FAILED} when the factory throws, otherwise as
   *     {@link #run(EdgeModule, Map)}.
   */
  public static int run(String[] args, Map<String, String> env) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(env, "env");
    List<EdgeModuleFactory> factories;
    try {
      factories = ServiceLoader.load(EdgeModuleFactory.class).stream()
          .map(ServiceLoader.Provider::get)
          .collect(Collectors.toList());
    } catch (ServiceConfigurationError e) {
      return fail(ExitCode.CONFIGURATION_ERROR, "Cannot load the module factories listed in"
          + " META-INF/services/" + EdgeModuleFactory.class.getName() + ": " + e.getMessage(), e);
    }
    if (args.length != 1 || args[0].isBlank()) {
      return fail(ExitCode.USAGE, "Usage: EdgeModuleMain <module-id>; " + describeFactories(factories), null);
    }
    String id = args[0];
    EdgeModuleFactory factory = factories.stream().filter(f -> f.id().equals(id)).findFirst().orElse(null);
    if (factory == null) {
      return fail(ExitCode.USAGE, "No module '" + id + "' on the class path; " + describeFactories(factories), null);
    }
    EdgeModule module;
    try {
      module = factory.create();
    } catch (RuntimeException e) {
      return fail(ExitCode.MODULE_FAILED, "Module factory '" + id + "' failed to create the module: " + e, e);
    }
    return run(module, env);
  }

  /**
   * Runs a module until it stops: picks the transport, serves metrics and health, starts the host, and waits
   * for SIGTERM or for the transport to give up.
   *
   * @param module The module, not yet started.
   * @param env The process environment.
   * @return The {@link ExitCode#code()}.
   */
  public static int run(EdgeModule module, Map<String, String> env) {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(env, "env");
    TransportChoice choice;
    int metricsPort;
    Duration drainTimeout;
    try {
      choice = selectProvider(loadProviders(), env);
      metricsPort = metricsPort(env);
      drainTimeout = drainTimeout(env);
    } catch (StartupFailure e) {
      return fail(e.exitCode, e.getMessage(), e.getCause());
    }
    ModuleTransportProvider provider = choice.provider();
    LOG.info("Transport '{}' chosen: {}", provider.name(), choice.reason());

    MetricsServer metricsServer = null;
    if (metricsPort != 0) {
      try {
        metricsServer = MetricsServer.start(new InetSocketAddress(metricsPort), PrometheusRegistry.defaultRegistry);
      } catch (IOException e) {
        return fail(ExitCode.CONFIGURATION_ERROR, "Cannot serve metrics: " + e.getMessage() + " (is another process"
            + " using the port? set " + METRICS_PORT_ENV + " to another port, or 0 to disable the metrics server)", e);
      }
    }
    try {
      ModuleTransport transport;
      try {
        transport = provider.create(env);
      } catch (TransportException | RuntimeException e) {
        return fail(ExitCode.TRANSPORT_UNAVAILABLE,
            "Transport '" + provider.name() + "' could not be created: " + e.getMessage(), e);
      }
      return runHost(module, transport, provider.name(), env, drainTimeout, metricsServer);
    } finally {
      if (metricsServer != null) {
        metricsServer.close();
      }
    }
  }

  private static int runHost(EdgeModule module, ModuleTransport transport, String transportName,
      Map<String, String> env, Duration drainTimeout, MetricsServer metricsServer) {
    AtomicReference<ModuleHost> hostRef = new AtomicReference<>();
    AtomicBoolean connectionLost = new AtomicBoolean();
    AtomicBoolean shutdownRequested = new AtomicBoolean();
    ModuleHost host = ModuleHost.builder()
        .module(module)
        .connectionListener(change -> {
          // Stop when the transport gives up reconnecting, so that edgeAgent restarts the module.
          ModuleHost h = hostRef.get();
          if (change.status() == ConnectionStatus.DISCONNECTED && h != null && h.state() == ModuleHost.State.RUNNING
              && connectionLost.compareAndSet(false, true)) {
            LOG.error("Module {}: the transport gave up reconnecting ({}); stopping so that it is restarted",
                h.identity(), change.reason());
            Thread stopper = new Thread(h::stop, "edgeai4j-connection-lost");
            stopper.setDaemon(true);
            stopper.start();
          }
        })
        .transport(transport)
        .environment(env)
        .metricsRegistry(PrometheusRegistry.defaultRegistry)
        .drainTimeout(drainTimeout)
        .build();
    hostRef.set(host);
    String checkName = host.identity().moduleId();
    if (metricsServer != null) {
      metricsServer.register(checkName, host);
    }
    Thread hook = new Thread(() -> {
      shutdownRequested.set(true);
      LOG.info("Shutdown requested (SIGTERM); stopping module {} gracefully", host.identity());
      host.stop();
    }, "edgeai4j-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      LOG.info("Running module {} ({}) on transport '{}'{}", host.identity(), module.getClass().getName(),
          transportName, metricsServer == null ? "; metrics disabled" : "; metrics on port " + metricsServer.port());
      try {
        host.start();
      } catch (ModuleStartException e) {
        if (shutdownRequested.get()) {
          return ExitCode.OK.code();
        }
        return fail(exitCodeOf(e), e.getMessage(), null);
      }
      try {
        host.awaitStopped();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while running module {}; stopping it", host.identity());
        host.stop();
      }
      if (connectionLost.get() && !shutdownRequested.get()) {
        return fail(ExitCode.TRANSPORT_UNAVAILABLE, "Module " + host.identity() + " stopped: transport '"
            + transportName + "' gave up reconnecting", null);
      }
      LOG.info("Module {} exited", host.identity());
      return ExitCode.OK.code();
    } finally {
      if (metricsServer != null) {
        metricsServer.unregister(checkName);
      }
      if (!shutdownRequested.get()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // The JVM is shutting down; the hook is running or has run.
        }
        host.stop();
      }
    }
  }

  private static ExitCode exitCodeOf(ModuleStartException e) {
    return switch (e.stage()) {
      case OPEN_TRANSPORT, READ_TWIN -> ExitCode.TRANSPORT_UNAVAILABLE;
      case START_MODULE -> e.getCause() instanceof DesiredPropertiesException
          || e.getCause() instanceof DirectoryNotWritableException
          ? ExitCode.CONFIGURATION_ERROR : ExitCode.MODULE_FAILED;
    };
  }

  static List<ModuleTransportProvider> loadProviders() throws StartupFailure {
    try {
      return ServiceLoader.load(ModuleTransportProvider.class).stream()
          .map(ServiceLoader.Provider::get)
          .collect(Collectors.toList());
    } catch (ServiceConfigurationError e) {
      throw new StartupFailure(ExitCode.CONFIGURATION_ERROR, "Cannot load the transport providers listed in"
          + " META-INF/services/" + ModuleTransportProvider.class.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The provider {@link #selectProvider} chose, and why, for the start-up log. */
  record TransportChoice(ModuleTransportProvider provider, String reason) {}

  /**
   * Picks the provider named by {@value #TRANSPORT_ENV}, or else the available one with the highest
   * {@link ModuleTransportProvider#priority()}.
   *
   * @throws StartupFailure Naming every provider found and why it is unavailable; also when several available
   *     providers share the highest priority.
   */
  static TransportChoice selectProvider(List<ModuleTransportProvider> providers, Map<String, String> env)
      throws StartupFailure {
    List<String> lines = new ArrayList<>();
    List<ModuleTransportProvider> available = new ArrayList<>();
    for (ModuleTransportProvider p : providers) {
      String reason = p.unavailableReason(env);
      lines.add("  " + p.name() + ": " + (reason == null ? "available" : "unavailable: " + reason)
          + " [priority " + p.priority() + "]");
      if (reason == null) {
        available.add(p);
      }
    }
    String found = providers.isEmpty()
        ? "no transport provider on the class path (add edgeai4j-azure-transport, or another jar that lists a"
            + " provider in META-INF/services/" + ModuleTransportProvider.class.getName() + ")"
        : "transport providers found:\n" + String.join("\n", lines);
    String named = env.get(TRANSPORT_ENV);
    if (named != null && !named.isBlank()) {
      ModuleTransportProvider chosen = providers.stream().filter(p -> p.name().equals(named.strip()))
          .findFirst().orElse(null);
      if (chosen == null) {
        throw new StartupFailure(ExitCode.CONFIGURATION_ERROR,
            TRANSPORT_ENV + "=" + named + " names no transport provider; " + found, null);
      }
      if (!available.contains(chosen)) {
        throw new StartupFailure(ExitCode.TRANSPORT_UNAVAILABLE,
            "Transport '" + chosen.name() + "' (named by " + TRANSPORT_ENV + ") cannot run here; " + found, null);
      }
      return new TransportChoice(chosen, "named by " + TRANSPORT_ENV);
    }
    if (available.isEmpty()) {
      throw new StartupFailure(ExitCode.TRANSPORT_UNAVAILABLE, "No transport can run in this environment; " + found,
          null);
    }
    int top = available.stream().mapToInt(ModuleTransportProvider::priority).max().getAsInt();
    List<ModuleTransportProvider> best = available.stream().filter(p -> p.priority() == top).toList();
    if (best.size() > 1) {
      throw new StartupFailure(ExitCode.CONFIGURATION_ERROR, "Several transports can run here with the same"
          + " priority " + top + "; set " + TRANSPORT_ENV + " to one of "
          + best.stream().map(ModuleTransportProvider::name).toList() + "; " + found, null);
    }
    ModuleTransportProvider chosen = best.get(0);
    String reason = available.size() == 1 ? "the only transport available here"
        : "the available transport with the highest priority (" + top + "; others available: "
            + available.stream().filter(p -> p != chosen).map(p -> p.name() + " " + p.priority()).toList()
            + "); set " + TRANSPORT_ENV + " to choose another";
    return new TransportChoice(chosen, reason);
  }

  static int metricsPort(Map<String, String> env) throws StartupFailure {
    String value = env.get(METRICS_PORT_ENV);
    if (value == null || value.isBlank()) {
      return MetricsServer.DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value.strip());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new StartupFailure(ExitCode.CONFIGURATION_ERROR, METRICS_PORT_ENV + " must be a port number from 1 to"
        + " 65535, or 0 to disable the metrics server; was '" + value + "'", null);
  }

  static Duration drainTimeout(Map<String, String> env) throws StartupFailure {
    String value = env.get(DRAIN_TIMEOUT_ENV);
    if (value == null || value.isBlank()) {
      return ModuleHost.DEFAULT_DRAIN_TIMEOUT;
    }
    try {
      long seconds = Long.parseLong(value.strip());
      if (seconds >= 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new StartupFailure(ExitCode.CONFIGURATION_ERROR, DRAIN_TIMEOUT_ENV + " must be a whole number of"
        + " seconds, 0 or more; was '" + value + "'", null);
  }

  private static String describeFactories(List<EdgeModuleFactory> factories) {
    if (factories.isEmpty()) {
      return "no module on the class path (a jar must list an EdgeModuleFactory in META-INF/services/"
          + EdgeModuleFactory.class.getName() + ")";
    }
    return "modules found: " + factories.stream().map(f -> f.id() + " (" + f.description() + ")")
        .collect(Collectors.joining(", "));
  }

  private static int fail(ExitCode code, String message, Throwable cause) {
    if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
      System.err.println("edgeai4j: " + message);
    }
    if (cause == null) {
      LOG.error("{} (exit code {})", message, code.code());
    } else {
      LOG.error("{} (exit code {})", message, code.code(), cause);
    }
    return code.code();
  }

  /** A start-up failure with its exit code. */
  static final class StartupFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient ExitCode exitCode;

    StartupFailure(ExitCode exitCode, String message, Throwable cause) {
      super(message, cause);
      this.exitCode = exitCode;
    }

    ExitCode exitCode() {
      return exitCode;
    }
  }
}
