package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edge run --mqtt} and {@code --modules-as-processes} end to end: the endpoint on 127.0.0.1:8883 (the SDK's
 * port), the Azure IoT SDK as a module run by hand, and the edgeai4j modules as separate processes. Run by the
 * {@code over-mqtt} surefire execution, in a network namespace of its own (src/test/netns/bin/java).
 */
class RunOverMqttTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private LiveRun live;

  @org.junit.jupiter.api.AfterEach
  void keepTheLog(org.junit.jupiter.api.TestInfo test) throws Exception {
    if (live != null) {
      Files.writeString(Path.of("target", test.getTestMethod().orElseThrow().getName() + ".err.txt"),
          live.err().toString());
    }
  }

  @BeforeEach
  void onlyInTheOverMqttExecution() {
    assumeThat(System.getenv("EDGEAI4J_TEST_NETWORK")).as("run by the over-mqtt execution (8883 in a network"
        + " namespace of its own)").isNotNull();
  }

  /** {@code edge <args>} on another thread, its standard error readable while it runs. */
  private record LiveRun(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
    static LiveRun of(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = EdgeCli.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      return new LiveRun(CompletableFuture.supplyAsync(() -> cli.execute(args)), out, err);
    }
  }

  /**
   * The sensor and the filter of local-pipeline.json (the sensor every 20 ms, without end), plus, when
   * {@code watcher}, an external module 'watcher' that gets every reading on its input 'readings'.
   */
  private Path manifest(boolean watcher, String sensorRestartPolicy) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(Path.of("../../deployment-manifests/local-pipeline.json").toFile());
    ObjectNode modules = (ObjectNode) root.at("/modulesContent/$edgeAgent/properties.desired/modules");
    modules.remove(List.of("ingestion", "bearingAlarm"));
    ((ObjectNode) modules.get("sensor")).put("restartPolicy", sensorRestartPolicy);
    ObjectNode routes = (ObjectNode) root.at("/modulesContent/$edgeHub/properties.desired/routes");
    routes.retain("sensorToFilter", "alertsToCloud");
    if (watcher) {
      modules.putObject("watcher").put("version", "1.0").put("type", "docker").put("status", "running")
          .put("restartPolicy", "always").putObject("settings").put("image", "contoso/watcher:1.0")
          .put("createOptions", "{}");
      routes.put("sensorToWatcher", "FROM /messages/modules/sensor/outputs/temperatureOutput INTO"
          + " BrokeredEndpoint(\"/modules/watcher/inputs/readings\")");
    }
    ObjectNode content = (ObjectNode) root.get("modulesContent");
    content.remove(List.of("ingestion", "bearingAlarm"));
    ((ObjectNode) root.at("/modulesContent/sensor/properties.desired")).put("sendIntervalMillis", 20)
        .put("messageCount", 1_000_000);
    Path file = dir.resolve("pipeline.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    return file;
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry("edge-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static Map<String, String> credentials(String module, Path state) {
    CliRun run = CliRun.of("module", "credentials", module, "--state-dir", state.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out().lines().collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
        l -> l.substring(l.indexOf('=') + 1)));
  }

  @Test
  void anSdkModuleRunByHandGetsItsRoutedInputBesideTheInProcessModules() throws Exception {
    Path state = dir.resolve("state");
    Path upstream = dir.resolve("up.jsonl");
    LiveRun run = live = LiveRun.of("run", manifest(true, "always").toString(), "--mqtt", "--state-dir", state.toString(),
        "--admin-port", "0", "--metrics-port", "-1", "--quiet", "--upstream-file", upstream.toString(),
        "--duration", "25s");
    await().atMost(Duration.ofSeconds(20)).failFast("edge run ended", () -> run.exit().isDone())
        .until(() -> run.err().toString().contains("  mqtt:     ssl://127.0.0.1:8883"));
    assertThat(run.err().toString()).containsPattern("filter +started +edgeai4j/threshold-filter")
        .containsPattern("watcher +external +contoso/watcher")
        .contains("  CA:       " + state.resolve("pki/edge-ca.pem"))
        .contains("  store:    " + state.resolve("store") + " (kept across runs)")
        .contains("edge module credentials <module> --state-dir " + state);

    Map<String, String> credentials = credentials("watcher", state);
    List<Message> received = new CopyOnWriteArrayList<>();
    ModuleClient client = new ModuleClient(credentials.get("EdgeHubConnectionString"), IotHubClientProtocol.MQTT,
        ClientOptions.builder().sslContext(trusting(Path.of(credentials.get("EdgeModuleCACertificateFile"))))
            .build());
    client.setMessageCallback("readings", (message, context) -> {
      received.add(message);
      return IotHubMessageResult.COMPLETE;
    }, null);
    try {
      client.open(true);
      await().atMost(Duration.ofSeconds(15)).until(() -> received.size() >= 3);
    } finally {
      client.close();
    }
    JsonNode reading = JSON.readTree(received.get(0).getBytes());
    assertThat(reading.at("/machine/temperature").isNumber()).as(reading.toString()).isTrue();
    assertThat(received.get(0).getInputName()).isEqualTo("readings");
    // The in-process filter works as before: its alerts reach $upstream.
    await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(upstream)
        && Files.readString(upstream).contains("/messages/modules/filter/outputs/alerts/"));
    assertThat(run.exit().get()).as(run.err().toString()).isZero();
  }

  @Test
  void aBusyPortFailsTheStartNamingTheAddressAndWhatToDo() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8883));
      CliRun run = CliRun.of("run", manifest(false, "always").toString(), "--mqtt", "--state-dir",
          dir.resolve("state").toString(), "--admin-port", "0", "--metrics-port", "-1", "--quiet",
          "--upstream-file", dir.resolve("up.jsonl").toString(), "--duration", "5s");
      assertThat(run.exitCode()).isEqualTo(ExitCodes.SOFTWARE);
      assertThat(run.err()).contains("edge run: cannot serve MQTT on 127.0.0.1:8883: Address already in use;")
          .contains("stop it, or give --mqtt-port N").doesNotContain("\tat ");
    }
  }

  @Test
  void theEdgeai4jModulesRunAsSeparateProcessesAndAreRestartedAndStopped() throws Exception {
    Path upstream = dir.resolve("up.jsonl");
    LiveRun run = live = LiveRun.of("run", manifest(false, "always").toString(), "--modules-as-processes",
        "--state-dir", dir.resolve("state").toString(), "--admin-port", "0", "--metrics-port", "0", "--quiet",
        "--upstream-file", upstream.toString(), "--restart-delay", "100ms", "--duration", "30s");
    await().atMost(Duration.ofSeconds(20)).failFast("edge run ended", () -> run.exit().isDone())
        .until(() -> run.err().toString().contains("  process:  sensor pid "));
    assertThat(run.err().toString()).containsPattern("filter +process +edgeai4j/threshold-filter")
        .containsPattern("sensor +process +edgeai4j/simulated-temperature-sensor")
        .containsPattern("process:  filter pid \\d+, restartPolicy always, metrics http://localhost:\\d+/metrics")
        .containsPattern("process:  sensor pid \\d+, restartPolicy always, metrics");
    long filterPid = pid(run, "process:  filter pid (\\d+)");
    long sensorPid = pid(run, "process:  sensor pid (\\d+)");
    assertThat(List.of(filterPid, sensorPid)).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
    assertThat(children()).contains(filterPid, sensorPid);

    // The sensor's readings reach the filter process over MQTT; its alerts reach $upstream.
    await().atMost(Duration.ofSeconds(30)).failFast("edge run ended", () -> run.exit().isDone())
        .until(() -> Files.exists(upstream)
            && Files.readString(upstream).contains("/messages/modules/filter/outputs/alerts/"));
    JsonNode alert = JSON.readTree(Files.readAllLines(upstream).get(0));
    assertThat(alert.at("/body/machine/temperature").asDouble()).isGreaterThan(25);

    // A module process that dies is reported and started again, as its restartPolicy says.
    ProcessHandle.of(sensorPid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(20)).until(() -> run.err().toString()
        .contains("[sensor] exited with code 137; restarting in"));
    await().atMost(Duration.ofSeconds(20)).until(() -> run.err().toString().contains("[sensor] started again, pid "));
    long restartedPid = pid(run, "\\[sensor\\] started again, pid (\\d+)");
    assertThat(children()).contains(restartedPid).doesNotContain(sensorPid);
    List<ProcessHandle> all = new ArrayList<>();
    for (long pid : List.of(filterPid, restartedPid)) {
      all.add(ProcessHandle.of(pid).orElseThrow());
    }

    assertThat(run.exit().get()).as(run.err().toString()).isZero();
    assertThat(all).noneMatch(ProcessHandle::isAlive);
    assertThat(children()).doesNotContain(filterPid, restartedPid);
    assertThat(run.err().toString()).contains("[filter] ").doesNotContain("killing it");
  }

  private static long pid(LiveRun run, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(run.err().toString());
    assertThat(m.find()).as(pattern + " in " + run.err()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static List<Long> children() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).toList();
  }
}
