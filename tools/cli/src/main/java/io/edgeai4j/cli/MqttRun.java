package io.edgeai4j.cli;

import io.edgeai4j.cli.process.ModuleProcess;
import io.edgeai4j.cli.process.RestartPolicy;
import io.edgeai4j.edgehub.EdgeHubEndpoint;
import io.edgeai4j.edgehub.EndpointOptions;
import io.edgeai4j.module.host.EdgeModuleMain;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.ModuleRole;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.ManifestModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * The MQTT side of a local run ({@code edge run --mqtt}, {@code edge demo --mqtt}): the edgeHub-compatible endpoint
 * on the runtime's hub and, with {@code --modules-as-processes}, one supervised process per module the runtime left
 * to run as a process ({@link ModuleRole#PROCESS}). The creator owns it and closes it before the runtime: processes
 * stop first (reverse startup order), then the endpoint. Not thread-safe, except {@link #close()}, which is
 * idempotent.
 */
public final class MqttRun implements AutoCloseable {
  /** The device id of edge run and edge module credentials when none is given. */
  static final String DEFAULT_DEVICE_ID = "local-edge-device";
  /** The module processes' entry point. */
  static final String MODULE_MAIN = EdgeModuleMain.class.getName();
  /** What a module process must not inherit from this process's environment: it gets its own identity. */
  private static final List<String> NOT_INHERITED = List.of("EdgeHubConnectionString", "IotHubConnectionString",
      "EdgeModuleCACertificateFile");

  private final EdgeHubEndpoint endpoint;
  private final StateDirectory state;
  private final MqttOptions mqtt;
  private final List<ModuleProcess> processes;
  private final Map<String, Integer> metricsPorts;
  private boolean closed;

  private MqttRun(EdgeHubEndpoint endpoint, StateDirectory state, MqttOptions mqtt, List<ModuleProcess> processes,
      Map<String, Integer> metricsPorts) {
    this.endpoint = endpoint;
    this.state = state;
    this.mqtt = mqtt;
    this.processes = processes;
    this.metricsPorts = metricsPorts;
  }

  /**
   * The runtime options that go with these MQTT options: the hub's store directory and, with
   * {@code --modules-as-processes}, every manifest module left to run as a process.
   */
  public static RuntimeOptions.Builder applyTo(RuntimeOptions.Builder options, MqttOptions mqtt,
      List<ManifestModule> modules, String deviceId) {
    options.storeDirectory(mqtt.storeDirectory(deviceId));
    if (mqtt.modulesAsProcesses()) {
      options.processModules(modules.stream().map(ManifestModule::name).toList());
    }
    return options;
  }

  /**
   * Starts the endpoint on the runtime's hub, then the module processes in startup order.
   *
   * @param runtime The running runtime.
   * @param options The runtime's options (device id, registry, drain timeout, metrics).
   * @param mqtt The MQTT options.
   * @param restartPolicies Each module's restart policy.
   * @param log Where the module processes' lines and reports go.
   * @throws StartException Naming what failed and what to do; what had started is stopped.
   */
  public static MqttRun start(LocalEdgeRuntime runtime, RuntimeOptions options, MqttOptions mqtt,
      Map<String, RestartPolicy> restartPolicies, PrintWriter log) throws StartException {
    StateDirectory state = mqtt.stateDirectory(options.deviceId());
    InetSocketAddress address;
    try {
      address = new InetSocketAddress(InetAddress.getByName(mqtt.address), mqtt.port);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new StartException("--mqtt-address " + mqtt.address + " --mqtt-port " + mqtt.port + ": " + e.getMessage());
    }
    EdgeHubEndpoint endpoint;
    try {
      endpoint = EdgeHubEndpoint.start(runtime.hub(), EndpointOptions.builder()
          .stateDirectory(state.root())
          .mqttAddress(address)
          .gatewayHostName(mqtt.gatewayHost)
          .extraServerNames(mqtt.serverNames)
          .iotHubHostName(mqtt.iotHubHost)
          .build(), options.registry());
    } catch (IOException e) {
      BindException busy = bindFailure(e);
      if (busy != null) {
        throw new StartException("cannot serve MQTT on " + address.getHostString() + ":" + mqtt.port + ": "
            + busy.getMessage() + "; another MQTT broker, edgeHub or edge run may listen there: stop it, or give"
            + " --mqtt-port N (edgeai4j modules follow it; modules on the Azure IoT SDK always connect to "
            + MqttOptions.SDK_PORT + ")");
      }
      throw new StartException("cannot start the MQTT endpoint (state in " + state.root() + "): " + e.getMessage());
    } catch (RuntimeException e) {
      throw new StartException("cannot start the MQTT endpoint (state in " + state.root() + "): " + e.getMessage());
    }
    List<ModuleProcess> processes = new ArrayList<>();
    Map<String, Integer> metricsPorts = new LinkedHashMap<>();
    MqttRun run = new MqttRun(endpoint, state, mqtt, processes, metricsPorts);
    try {
      Path javaOptions = runtime.roles().containsValue(ModuleRole.PROCESS) ? writeJavaOptions(state) : null;
      for (Map.Entry<String, ModuleRole> e : runtime.roles().entrySet()) {
        if (e.getValue() != ModuleRole.PROCESS) {
          continue;
        }
        ManifestModule m = runtime.manifest().module(e.getKey()).orElseThrow();
        int metricsPort = options.metricsAddress() == null ? 0 : freePort();
        Map<String, String> env = new LinkedHashMap<>();
        NOT_INHERITED.forEach(k -> env.put(k, null));
        env.putAll(LocalEdgeRuntime.moduleEnvironment(m, options));
        env.putAll(endpoint.runtimeEnvironment(m.name()));
        env.put(EdgeModuleMain.METRICS_PORT_ENV, Integer.toString(metricsPort));
        if (endpoint.mqttAddress().getPort() != MqttOptions.SDK_PORT) {
          env.put("EDGEAI4J_MQTT_PORT", Integer.toString(endpoint.mqttAddress().getPort()));
        }
        ModuleProcess process = new ModuleProcess(m.name(), command(javaOptions, m.imageName()), env,
            restartPolicies.getOrDefault(m.name(), RestartPolicy.ALWAYS), mqtt.restartBackoff(),
            options.drainTimeout(), ModuleProcess.MAX_RESTARTS, log);
        processes.add(process);
        metricsPorts.put(m.name(), metricsPort);
        try {
          process.start();
        } catch (IOException ex) {
          throw new StartException("module '" + m.name() + "' (image " + m.image() + ") could not start as a process: "
              + ex.getMessage());
        }
      }
      return run;
    } catch (IOException e) {
      run.close();
      throw new StartException("cannot write the module processes' java options in " + state.root() + ": "
          + e.getMessage());
    } catch (StartException | RuntimeException e) {
      run.close();
      throw e instanceof StartException s ? s : new StartException("cannot start the module processes: " + e);
    }
  }

  /** {@code java @<options file> EdgeModuleMain <id>}: the options file holds the class path ({@link #writeJavaOptions}). */
  static List<String> command(Path javaOptions, String moduleId) {
    return new ArrayList<>(Arrays.asList(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + javaOptions, MODULE_MAIN, moduleId));
  }

  /**
   * Writes {@code <state>/module-java-options}, a java launcher argument file with this JVM's class path and
   * {@code java.io.tmpdir}. The class path goes in a file rather than on the command line because ONNX Runtime 1.29
   * crashes the JVM (a stack overflow in native code, exit 139) when it creates its environment in a process whose
   * command line is long (about 12 kB here), as an expanded class path makes it.
   */
  static Path writeJavaOptions(StateDirectory state) throws IOException {
    Path file = state.root().resolve("module-java-options");
    Files.createDirectories(state.root());
    Files.writeString(file, "-cp\n" + quoted(System.getProperty("java.class.path")) + "\n"
        + quoted("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  /** An argument file's quoting: in double quotes, with backslashes and quotes escaped. */
  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static BindException bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException b) {
        return b;
      }
    }
    return null;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port for a module's metrics: " + e.getMessage(), e);
    }
  }

  /** The endpoint. */
  public EdgeHubEndpoint endpoint() {
    return endpoint;
  }

  /** The module processes, in startup order. */
  public List<ModuleProcess> processes() {
    return List.copyOf(processes);
  }

  /** Prints the endpoint's and the processes' lines of the start summary. */
  public void printSummary(PrintWriter err) {
    InetSocketAddress bound = endpoint.mqttAddress();
    err.println("  mqtt:     ssl://" + bound.getHostString() + ":" + bound.getPort() + "  (edgeHub's MQTT 3.1.1 over"
        + " TLS; GatewayHostName " + mqtt.gatewayHost + ")");
    err.println("  workload: " + endpoint.workloadUri() + "  (IOTEDGE_WORKLOADURI)");
    err.println("  CA:       " + endpoint.certificates().caCertificateFile().toAbsolutePath()
        + "  (EdgeModuleCACertificateFile)");
    err.println("  state:    " + state.root() + "  (a module's connection: edge module credentials <module>"
        + (endpoint.keys().deviceId().equals(DEFAULT_DEVICE_ID) ? ""
            : " --device-id " + endpoint.keys().deviceId())
        + (mqtt.stateDirectory == null ? "" : " --state-dir " + state.root()) + ")");
    for (ModuleProcess p : processes) {
      int port = metricsPorts.get(p.name());
      err.println("  process:  " + p.name() + " pid " + p.pid() + ", restartPolicy " + p.policy().manifestName()
          + (port == 0 ? ", metrics off" : ", metrics http://localhost:" + port + "/metrics"));
    }
    err.flush();
  }

  /** Stops the module processes (reverse startup order), then the endpoint. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (ListIterator<ModuleProcess> it = processes.listIterator(processes.size()); it.hasPrevious(); ) {
      it.previous().close();
    }
    endpoint.close();
  }

  /** The MQTT side could not start; the message names what and what to do. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    StartException(String message) {
      super(message);
    }
  }
}
