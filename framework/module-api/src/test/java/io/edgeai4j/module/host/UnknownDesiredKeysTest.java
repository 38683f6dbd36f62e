package io.edgeai4j.module.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.UnknownKeys;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unknown keys in the desired properties: accepted and reported as warnings, unless the module is strict. */
class UnknownDesiredKeysTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  record Window(Integer size, Duration hop) {}

  record Sensor(String unit, Window window) {}

  record Rule(String name, Double limit) {}

  record Settings(Integer threshold, Map<String, Sensor> sensors, List<Rule> rules) {}

  /** A module that binds {@link Settings} in start with the given binding. */
  private interface Binder {
    void bind(ModuleContext context) throws Exception;
  }

  private final List<ModuleHost> hosts = new ArrayList<>();
  private final List<String> applied = new CopyOnWriteArrayList<>();
  private InMemoryTransport transport;

  @AfterEach
  void stopHosts() {
    hosts.forEach(ModuleHost::stop);
  }

  private ModuleHost start(String desired, Binder binder) throws Exception {
    transport = new InMemoryTransport("filter", desired);
    EdgeModule module = new EdgeModule() {
      @Override
      public void start(ModuleContext context) throws Exception {
        binder.bind(context);
      }

      @Override
      public void stop() {}
    };
    ModuleHost host = ModuleHost.builder().module(module).transport(transport)
        .metricsRegistry(new PrometheusRegistry()).build();
    hosts.add(host);
    host.start();
    return host;
  }

  private ModuleHost startLenient(String desired) throws Exception {
    return start(desired, ctx -> ctx.bindDesiredProperties(Settings.class,
        (config, version) -> applied.add(version + ":" + config)));
  }

  private JsonNode status() {
    return transport.reported().get("configurationStatus");
  }

  private List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    status().path("warnings").forEach(w -> warnings.add(w.asText()));
    return warnings;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # case                | desired document                                                                    | the configuration applied                                                        | warnings, joined by ' && '
      typo at the root      | {'threshold': 5, 'treshold': 6}                                                     | Settings[threshold=5, sensors=null, rules=null] | /treshold: unknown key, ignored; did you mean 'threshold'?
      object at the root    | {'threshold': 5, 'retention': {'days': 3, 'window': 2}}                             | Settings[threshold=5, sensors=null, rules=null] | /retention: unknown key, ignored
      in a map's value      | {'sensors': {'vibration': {'unit': 'g', 'windw': {'size': 4}}}}                     | Settings[threshold=null, sensors={vibration=Sensor[unit=g, window=null]}, rules=null] | /sensors/vibration/windw: unknown key, ignored; did you mean 'window'?
      two levels deeper     | {'sensors': {'vibration': {'window': {'size': 4, 'hopp': 'PT1S', 'overlap': 2}}}}   | Settings[threshold=null, sensors={vibration=Sensor[unit=null, window=Window[size=4, hop=null]]}, rules=null] | /sensors/vibration/window/hopp: unknown key, ignored; did you mean 'hop'? && /sensors/vibration/window/overlap: unknown key, ignored
      in an array element   | {'rules': [{'name': 'a', 'limit': 1}, {'name': 'b', 'limt': 3, 'limit': 2}]}        | Settings[threshold=null, sensors=null, rules=[Rule[name=a, limit=1.0], Rule[name=b, limit=2.0]]] | /rules/1/limt: unknown key, ignored; did you mean 'limit'?
      case differs          | {'Threshold': 7}                                                                    | Settings[threshold=null, sensors=null, rules=null] | /Threshold: unknown key, ignored; did you mean 'threshold'?
      escaped in the path   | {'a/b~c': 1, 'threshold': 2}                                                        | Settings[threshold=2, sensors=null, rules=null] | /a~1b~0c: unknown key, ignored
      one at each depth     | {'x': 1, 'sensors': {'s': {'y': 2, 'window': {'z': 3}}}, 'rules': [{'w': 4}]}       | Settings[threshold=null, sensors={s=Sensor[unit=null, window=Window[size=null, hop=null]]}, rules=[Rule[name=null, limit=null]]] | /x: unknown key, ignored && /sensors/s/y: unknown key, ignored && /sensors/s/window/z: unknown key, ignored && /rules/0/w: unknown key, ignored
      """)
  void unknownKeysAreIgnoredAndReportedWithTheirPath(String name, String desired, String config, String warnings)
      throws Exception {
    startLenient(withVersion(desired, 3));

    assertThat(applied).containsExactly("3:" + config);
    assertThat(status().path("status").asText()).isEqualTo("applied");
    assertThat(status().has("error")).isFalse();
    assertThat(warnings()).containsExactly(warnings.split(" && "));
  }

  private static String withVersion(String desired, long version) {
    return desired.substring(0, desired.length() - 1) + ", '$version': " + version + "}";
  }

  @Test
  void aDocumentWithoutUnknownKeysReportsNoWarnings() throws Exception {
    startLenient("{'threshold': 5, '$version': 3}");

    assertThat(status().toString()).isEqualTo("{\"version\":3,\"status\":\"applied\"}");
  }

  @Test
  void laterPatchesApplyAndTheWarningsFollowTheDocument() throws Exception {
    startLenient("{'threshold': 5, '$version': 3}");

    transport.patchDesired("{'sensors': {'vibration': {'windw': {'size': 4}}}, '$version': 4}");
    await().atMost(WAIT).until(() -> status().path("version").asLong() == 4);
    assertThat(warnings()).containsExactly(
        "/sensors/vibration/windw: unknown key, ignored; did you mean 'window'?");

    // A valid change still applies; the unknown key is still in the document, so still reported.
    transport.patchDesired("{'threshold': 8, '$version': 5}");
    await().atMost(WAIT).until(() -> status().path("version").asLong() == 5);
    assertThat(warnings()).containsExactly(
        "/sensors/vibration/windw: unknown key, ignored; did you mean 'window'?");

    // Removing it clears the warnings.
    transport.patchDesired("{'sensors': {'vibration': {'windw': null, 'window': {'size': 4}}}, '$version': 6}");
    await().atMost(WAIT).until(() -> status().path("version").asLong() == 6);
    assertThat(status().toString()).isEqualTo("{\"version\":6,\"status\":\"applied\"}");
    assertThat(applied).containsExactly(
        "3:Settings[threshold=5, sensors=null, rules=null]",
        "4:Settings[threshold=5, sensors={vibration=Sensor[unit=null, window=null]}, rules=null]",
        "5:Settings[threshold=8, sensors={vibration=Sensor[unit=null, window=null]}, rules=null]",
        "6:Settings[threshold=8, sensors={vibration=Sensor[unit=null, window=Window[size=4, hop=null]]}, rules=null]");
  }

  @Test
  void aStrictModuleRefusesAnUnknownKeyAtStartWithJacksonsError() {
    String desired = "{'sensors': {'vibration': {'windw': {'size': 4}}}, '$version': 3}";

    assertThatThrownBy(() -> start(desired, ctx -> ctx.bindDesiredProperties(Settings.class, UnknownKeys.REFUSE,
        (config, version) -> applied.add(version + ":" + config))))
        .isInstanceOf(ModuleStartException.class)
        .cause().isInstanceOf(DesiredPropertiesException.class)
        .hasMessageStartingWith("desired properties $version 3 do not bind to Settings: Unrecognized field \"windw\"")
        .hasMessageEndingWith("(at sensors.vibration.windw)");
    assertThat(applied).isEmpty();
    assertThat(status().path("status").asText()).isEqualTo("invalid");
    assertThat(status().path("error").asText()).startsWith(
        "desired properties $version 3 do not bind to Settings: Unrecognized field \"windw\"");
    assertThat(status().has("warnings")).isFalse();
  }

  @Test
  void aStrictModuleKeepsItsConfigurationOnAnUnknownKeyAndTakesTheNextValidPatch() throws Exception {
    start("{'threshold': 5, '$version': 3}", ctx -> ctx.bindDesiredProperties(Settings.class, UnknownKeys.REFUSE,
        (config, version) -> applied.add(version + ":" + config)));

    transport.patchDesired("{'treshold': 6, '$version': 4}");
    await().atMost(WAIT).until(() -> status().path("version").asLong() == 4);
    assertThat(status().path("status").asText()).isEqualTo("invalid");
    assertThat(status().path("error").asText())
        .startsWith("desired properties $version 4 do not bind to Settings: Unrecognized field \"treshold\"")
        .endsWith("(at treshold)");

    transport.patchDesired("{'treshold': null, 'threshold': 6, '$version': 5}");
    await().atMost(WAIT).until(() -> status().path("version").asLong() == 5);
    assertThat(status().toString()).isEqualTo("{\"version\":5,\"status\":\"applied\"}");
    assertThat(applied).containsExactly("3:Settings[threshold=5, sensors=null, rules=null]",
        "5:Settings[threshold=6, sensors=null, rules=null]");
  }

  @Test
  void theListenerAddsItsOwnWarningsAfterTheBindingsOnes() throws Exception {
    start("{'threshold': 5, 'colour': 'red', '$version': 3}", ctx -> ctx.bindDesiredProperties(Settings.class,
        (config, version) -> {
          ctx.warnDesiredProperty("/sources/line1/sped", "unknown key, ignored; did you mean 'speed'?");
          if (config.threshold() > 10) {
            throw new IllegalArgumentException("threshold over 10");
          }
          applied.add(version + ":" + config);
        }));

    assertThat(warnings()).containsExactly("/colour: unknown key, ignored",
        "/sources/line1/sped: unknown key, ignored; did you mean 'speed'?");

    // A refused document reports its error, not the warnings.
    transport.patchDesired("{'threshold': 11, '$version': 4}");
    await().atMost(WAIT).until(() -> status().path("version").asLong() == 4);
    assertThat(status().path("status").asText()).isEqualTo("invalid");
    assertThat(status().has("warnings")).isFalse();
  }

  @Test
  void aWarningOutsideTheListenerIsAnError() throws Exception {
    AtomicReference<ModuleContext> context = new AtomicReference<>();
    start("{'threshold': 5, '$version': 3}", ctx -> {
      context.set(ctx);
      ctx.bindDesiredProperties(Settings.class, (config, version) -> applied.add(version + ":" + config));
    });

    assertThatThrownBy(() -> context.get().warnDesiredProperty("/x", "ignored"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DesiredPropertiesListener");
  }

  @Test
  void atMostTwentyWarningsAreReportedAndTheRestCounted() throws Exception {
    StringBuilder desired = new StringBuilder("{'threshold': 5");
    for (int i = 0; i < 25; i++) {
      desired.append(", 'extra").append((char) ('a' + i)).append("': ").append(i);
    }
    startLenient(desired.append(", '$version': 3}").toString());

    assertThat(warnings()).hasSize(DesiredProperties.MAX_REPORTED_WARNINGS + 1)
        .startsWith("/extraa: unknown key, ignored")
        .endsWith("... and 5 more (see the module's log)");
  }
}
