package io.edgeai4j.module.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.WritableDirectory;
import io.edgeai4j.module.host.EdgeModuleMain.StartupFailure;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class EdgeModuleMainTest {
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger mainLogger = (Logger) LoggerFactory.getLogger(EdgeModuleMain.class);

  @BeforeEach
  void captureLog() {
    FakeTransportProviders.LAST_CREATED.set(null);
    log.start();
    mainLogger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    mainLogger.detachAppender(log);
  }

  private static Map<String, String> env(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put(EdgeModuleMain.METRICS_PORT_ENV, "0");
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }

  private String errors() {
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void noAvailableTransportFailsListingEveryProviderAndWhy() {
    int code = EdgeModuleMain.run(doNothing(), env());

    assertThat(code).isEqualTo(ExitCode.TRANSPORT_UNAVAILABLE.code()).isEqualTo(69);
    assertThat(errors())
        .contains("No transport can run in this environment")
        .contains("fake: unavailable: FAKE_HUB is not set")
        .contains("broken: unavailable: needs /dev/unicorn")
        .contains("other: unavailable: OTHER_HUB is not set");
  }

  @Test
  void aNamedTransportThatIsUnavailableFailsWithItsReason() {
    int code = EdgeModuleMain.run(doNothing(), env("FAKE_HUB", "1", EdgeModuleMain.TRANSPORT_ENV, "broken"));

    assertThat(code).isEqualTo(69);
    assertThat(errors()).contains("Transport 'broken' (named by EDGEAI4J_TRANSPORT) cannot run here")
        .contains("broken: unavailable: needs /dev/unicorn")
        .contains("fake: available");
  }

  @Test
  void anUnknownTransportNameIsAConfigurationError() throws Exception {
    List<ModuleTransportProvider> providers = EdgeModuleMain.loadProviders();

    assertThatThrownBy(() -> EdgeModuleMain.selectProvider(providers, env(EdgeModuleMain.TRANSPORT_ENV, "mqtt")))
        .isInstanceOfSatisfying(StartupFailure.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIGURATION_ERROR))
        .hasMessageContaining("EDGEAI4J_TRANSPORT=mqtt names no transport provider")
        .hasMessageContaining("fake: unavailable: FAKE_HUB is not set");
    assertThat(EdgeModuleMain.run(doNothing(), env(EdgeModuleMain.TRANSPORT_ENV, "mqtt"))).isEqualTo(78);
  }

  @Test
  void severalAvailableTransportsMustBeNamed() throws Exception {
    List<ModuleTransportProvider> providers = EdgeModuleMain.loadProviders();

    assertThatThrownBy(() -> EdgeModuleMain.selectProvider(providers, env("FAKE_HUB", "1", "OTHER_HUB", "1")))
        .isInstanceOfSatisfying(StartupFailure.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIGURATION_ERROR))
        .hasMessageContaining("set EDGEAI4J_TRANSPORT to one of [fake, other]");
    assertThat(EdgeModuleMain.selectProvider(providers,
        env("FAKE_HUB", "1", "OTHER_HUB", "1", EdgeModuleMain.TRANSPORT_ENV, "other")).provider().name())
        .isEqualTo("other");
    assertThat(EdgeModuleMain.selectProvider(providers, env("FAKE_HUB", "1")).provider().name())
        .isEqualTo("fake");
  }

  /** A provider of the selection table; it creates nothing. */
  private record Listed(String name, int priority, boolean available) implements ModuleTransportProvider {
    @Override
    public String unavailableReason(Map<String, String> environment) {
      return available ? null : "not here";
    }

    @Override
    public ModuleTransport create(Map<String, String> environment) {
      throw new UnsupportedOperationException("only selected");
    }
  }

  /** Parses "name:priority" (available) and "name:priority:x" (unavailable), separated by spaces. */
  private static List<ModuleTransportProvider> listed(String spec) {
    return java.util.Arrays.stream(spec.trim().split(" +")).map(p -> p.split(":"))
        .<ModuleTransportProvider>map(f -> new Listed(f[0], Integer.parseInt(f[1]), f.length == 2)).toList();
  }

  @ParameterizedTest(name = "{0} EDGEAI4J_TRANSPORT={1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // providers                          | named          | chosen, or the error  | why / error text
      "edgehub-mqtt:10 azure-iot-edge:0     | -              | edgehub-mqtt          | the available transport with the highest priority (10; others available: [azure-iot-edge 0])",
      "azure-iot-edge:0 edgehub-mqtt:10     | -              | edgehub-mqtt          | highest priority (10",
      "edgehub-mqtt:10:x azure-iot-edge:0   | -              | azure-iot-edge        | the only transport available here",
      "edgehub-mqtt:10 azure-iot-edge:0     | azure-iot-edge | azure-iot-edge        | named by EDGEAI4J_TRANSPORT",
      "a:-3 b:-1 c:5:x                      | -              | b                     | highest priority (-1",
      "a:5 b:5 c:1                          | -              | ERROR                 | Several transports can run here with the same priority 5; set EDGEAI4J_TRANSPORT to one of [a, b]",
      "a:5 b:5 c:7:x                        | -              | ERROR                 | c: unavailable: not here [priority 7]",
  })
  void theNamedTransportElseTheAvailableOneWithTheHighestPriority(String providers, String named, String chosen,
      String text) throws Exception {
    Map<String, String> env = named == null ? env() : env(EdgeModuleMain.TRANSPORT_ENV, named);
    if (chosen.equals("ERROR")) {
      assertThatThrownBy(() -> EdgeModuleMain.selectProvider(listed(providers), env))
          .isInstanceOfSatisfying(StartupFailure.class,
              e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIGURATION_ERROR))
          .hasMessageContaining(text);
    } else {
      EdgeModuleMain.TransportChoice choice = EdgeModuleMain.selectProvider(listed(providers), env);
      assertThat(choice.provider().name()).isEqualTo(chosen);
      assertThat(choice.reason()).contains(text);
    }
  }

  @Test
  void theStartupLogSaysWhichTransportWasChosenAndWhy() {
    EdgeModule stopsAtOnce = context -> {
      throw new IllegalStateException("stop here");
    };
    ch.qos.logback.classic.Level previous = mainLogger.getLevel();
    mainLogger.setLevel(ch.qos.logback.classic.Level.INFO);
    try {
      EdgeModuleMain.run(stopsAtOnce, env("FAKE_HUB", "1"));
    } finally {
      mainLogger.setLevel(previous);
    }

    assertThat(errors()).contains("Transport 'fake' chosen: the only transport available here");
  }

  @Test
  void noProviderOnTheClassPathSaysWhatToAdd() {
    assertThatThrownBy(() -> EdgeModuleMain.selectProvider(List.of(), env()))
        .hasMessageContaining("no transport provider on the class path")
        .hasMessageContaining("META-INF/services/io.edgeai4j.module.spi.ModuleTransportProvider");
  }

  @Test
  void badEnvironmentValuesAreConfigurationErrors() {
    assertThat(EdgeModuleMain.run(doNothing(), env("FAKE_HUB", "1", EdgeModuleMain.METRICS_PORT_ENV, "http")))
        .isEqualTo(78);
    assertThat(errors()).contains("EDGEAI4J_METRICS_PORT must be a port number");
    assertThat(EdgeModuleMain.run(doNothing(), env("FAKE_HUB", "1", EdgeModuleMain.DRAIN_TIMEOUT_ENV, "-1")))
        .isEqualTo(78);
    assertThat(FakeTransportProviders.LAST_CREATED.get()).isNull();
  }

  @Test
  void theDrainTimeoutIsTheHostsDefaultUnlessTheEnvironmentOverridesIt() throws Exception {
    assertThat(EdgeModuleMain.drainTimeout(env())).isEqualTo(ModuleHost.DEFAULT_DRAIN_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(EdgeModuleMain.drainTimeout(env(EdgeModuleMain.DRAIN_TIMEOUT_ENV, " 25 ")))
        .isEqualTo(Duration.ofSeconds(25));
  }

  @Test
  void aMetricsPortInUseIsAConfigurationError() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      int code = EdgeModuleMain.run(doNothing(),
          env("FAKE_HUB", "1", EdgeModuleMain.METRICS_PORT_ENV, String.valueOf(taken.getLocalPort())));

      assertThat(code).isEqualTo(78);
      assertThat(errors()).contains("Cannot serve metrics").contains("EDGEAI4J_METRICS_PORT")
          .contains("Cannot listen on").contains("for metrics: ");
    }
  }

  @Test
  void startFailuresMapToExitCodes() {
    assertThat(EdgeModuleMain.run(doNothing(), env("FAKE_HUB", "1", "FAKE_OPEN_FAILS", "1"))).isEqualTo(69);
    assertThat(FakeTransportProviders.LAST_CREATED.get().closes).hasValue(1);

    EdgeModule throwing = context -> {
      throw new IllegalStateException("no GPU");
    };
    assertThat(EdgeModuleMain.run(throwing, env("FAKE_HUB", "1"))).isEqualTo(70);
    assertThat(errors()).contains("no GPU");

    EdgeModule binding = context -> context.bindDesiredProperties(ModuleHostTest.Config.class, (c, v) -> {});
    assertThat(EdgeModuleMain.run(binding, env("FAKE_HUB", "1", "FAKE_DESIRED", "{'threshold': 'x', '$version': 2}")))
        .isEqualTo(78);
    EdgeModule unwritable = context -> WritableDirectory.require(Path.of("/dev/null/state"), "the state (TEST_DIR)");
    assertThat(EdgeModuleMain.run(unwritable, env("FAKE_HUB", "1"))).isEqualTo(78);
    assertThat(errors()).contains("Directory /dev/null/state (the state (TEST_DIR)) cannot be created");
  }

  @Test
  void runsTheModuleServesHealthAndExitsWhenTheTransportGivesUp() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> EdgeModuleMain.run(new String[] {"echo"},
        env("FAKE_HUB", "1", EdgeModuleMain.METRICS_PORT_ENV, String.valueOf(port))));
    await().atMost(Duration.ofSeconds(10)).until(() -> FakeTransportProviders.LAST_CREATED.get() != null
        && FakeTransportProviders.LAST_CREATED.get().opens.get() == 1);
    InMemoryTransport transport = FakeTransportProviders.LAST_CREATED.get();
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    await().atMost(Duration.ofSeconds(10)).until(
        () -> http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

    assertThat(transport.deliver("in", EdgeMessage.text("hello"))).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(transport.sent).singleElement().satisfies(s -> assertThat(s.message().bodyAsString()).isEqualTo("hello"));
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("edgeai4j_module_messages_sent_total{module=\"echo\",output=\"out\"}")
        .contains("jvm_memory_used_bytes");
    transport.status(ConnectionStatus.DISCONNECTED, "RETRY_EXPIRED");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCode.TRANSPORT_UNAVAILABLE.code());
    assertThat(transport.closes).hasValue(1);
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void factoryLookupErrorsAreUsageErrors() {
    assertThat(EdgeModuleMain.run(new String[0], env())).isEqualTo(64);
    assertThat(errors()).contains("Usage: EdgeModuleMain <module-id>")
        .contains("echo (echoes input 'in' to output 'out')");

    assertThat(EdgeModuleMain.run(new String[] {"ehco"}, env())).isEqualTo(64);
    assertThat(errors()).contains("No module 'ehco' on the class path; modules found: echo (")
        .contains("failing (cannot be created)");

    assertThat(EdgeModuleMain.run(new String[] {"failing"}, env())).isEqualTo(70);
    assertThat(errors()).contains("license file missing");
  }

  @Test
  void sigtermStopsTheModuleGracefully() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        EdgeModuleMain.class.getName(), "echo");
    builder.environment().put("FAKE_HUB", "1");
    builder.environment().put("ECHO_PRINT", "1");
    // The fake hub delivers one message at once; the handler holds it until the JVM begins to shut down.
    builder.environment().put("FAKE_DELIVER", "in flight at SIGTERM");
    builder.environment().put("ECHO_HOLD", "1");
    builder.environment().put(EdgeModuleMain.METRICS_PORT_ENV, "0");
    builder.environment().remove(EdgeModuleMain.TRANSPORT_ENV);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        in.lines().forEach(output::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        output.add("read failed: " + e);
      }
    });
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> output.contains("ECHO HANDLING") || !process.isAlive());
      assertThat(output).as("child output").contains("ECHO STARTED", "ECHO HANDLING");
      assertThat(output).as("child output").doesNotContain("ECHO HANDLED");

      assertThat(process.toHandle().destroy()).isTrue(); // SIGTERM; Process.destroy() would close our pipes

      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      reader.join(5000);
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(output).as("child output").contains("ECHO STOPPED");
      // The handler finished (and could still send) after SIGTERM, before the module stopped and the
      // transport closed; the hub got COMPLETE for the message, before the transport closed.
      assertThat(output).as("child output")
          .containsSubsequence("ECHO HANDLING", "ECHO HANDLED", "ECHO STOPPED", "FAKE CLOSED")
          .containsSubsequence("ECHO HANDLED", "FAKE DISPOSITION COMPLETE", "FAKE CLOSED");
    } finally {
      process.destroyForcibly();
    }
  }

  private static EdgeModule doNothing() {
    return context -> {};
  }
}
