package io.edgeai4j.runtime.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.routing.ModuleInputSink;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.routing.UpstreamSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestParserTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static ObjectNode validManifest() throws Exception {
    return (ObjectNode) MAPPER.readTree("""
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {
            "schemaVersion": "1.1",
            "runtime": {"type": "docker", "settings": {}},
            "systemModules": {},
            "modules": {
              "b": {"type": "docker", "status": "running", "restartPolicy": "always", "startupOrder": 2,
                    "env": {"MODE": {"value": "fast"}, "LIMIT": {"value": 5}},
                    "settings": {"image": "myacr.azurecr.io/edgeai4j/threshold-filter:0.1.0-amd64",
                                 "createOptions": "{\\"HostConfig\\":", "createOptions01": "{}}"}},
              "a": {"type": "docker", "status": "stopped", "startupOrder": 1,
                    "settings": {"image": "sensor"}},
              "c": {"type": "docker", "settings": {"image": "registry:5000/x/other@sha256:abc"}}
            }}},
          "$edgeHub": {"properties.desired": {
            "schemaVersion": "1.1",
            "routes": {
              "legacy": "FROM /messages/modules/a/outputs/* INTO BrokeredEndpoint(\\"/modules/b/inputs/in\\")",
              "object": {"route": "FROM /messages/* INTO $upstream", "priority": 3, "timeToLiveSecs": 60},
              "zeroTtl": {"route": "FROM /messages/* INTO $upstream", "timeToLiveSecs": 0}
            },
            "storeAndForwardConfiguration": {"timeToLiveSecs": 100, "storeLimits": {"maxSizeBytes": 5000}}}},
          "b": {"properties.desired": {"threshold": 30}}
        }}
        """);
  }

  @Test
  void parsesModulesRoutesAndTwins() throws Exception {
    DeploymentManifest m = ManifestParser.parse(validManifest());
    assertThat(m.modules()).extracting(ManifestModule::name).containsExactly("a", "b", "c");
    ManifestModule b = m.module("b").orElseThrow();
    assertThat(b.imageName()).isEqualTo("threshold-filter");
    assertThat(b.environment()).containsEntry("MODE", "fast").containsEntry("LIMIT", "5");
    assertThat(b.createOptions()).isEqualTo("{\"HostConfig\":{}}");
    assertThat(m.module("a").orElseThrow().status()).isEqualTo(ModuleStatus.STOPPED);
    assertThat(m.module("c").orElseThrow().imageName()).isEqualTo("other");
    assertThat(m.module("c").orElseThrow().startupOrder()).isEqualTo(ManifestModule.DEFAULT_STARTUP_ORDER);

    assertThat(m.routes()).extracting(RouteSpec::name).containsExactly("legacy", "object", "zeroTtl");
    RouteSpec legacy = m.routes().get(0);
    assertThat(legacy.priority()).isEqualTo(RouteSpec.DEFAULT_PRIORITY);
    assertThat(legacy.timeToLive()).isNull();
    assertThat(legacy.route().sink()).isEqualTo(new ModuleInputSink("b", "in"));
    RouteSpec object = m.routes().get(1);
    assertThat(object.priority()).isEqualTo(3);
    assertThat(object.timeToLive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(object.route().sink()).isInstanceOf(UpstreamSink.class);
    assertThat(m.routes().get(2).timeToLive()).as("0 means the global TTL").isNull();

    assertThat(m.storeAndForwardTimeToLive()).isEqualTo(Duration.ofSeconds(100));
    assertThat(m.storeMaxSizeBytes()).contains(5000L);
    assertThat(m.desiredPropertiesOf("b").get("threshold").asInt()).isEqualTo(30);
    assertThat(m.desiredPropertiesOf("a").isEmpty()).isTrue();
  }

  @Test
  void acceptsTheContentWrapperAndNegativeTtl() throws Exception {
    ObjectNode manifest = validManifest();
    ((ObjectNode) manifest.at("/modulesContent/$edgeHub/properties.desired/storeAndForwardConfiguration"))
        .put("timeToLiveSecs", -1);
    ObjectNode wrapped = MAPPER.createObjectNode();
    wrapped.putObject("content").set("modulesContent", manifest.get("modulesContent"));
    DeploymentManifest m = ManifestParser.parse(wrapped);
    assertThat(m.storeAndForwardTimeToLive()).as("negative means never expire").isNull();
  }

  @Test
  void theShippedLocalPipelineManifestParses() throws Exception {
    DeploymentManifest m = ManifestParser.parse(Path.of("../../deployment-manifests/local-pipeline.json"));
    assertThat(m.modules()).extracting(ManifestModule::imageName)
        .containsExactly("threshold-filter", "threshold-filter", "sensor-ingestion", "simulated-temperature-sensor");
    assertThat(m.routes()).hasSize(7);
  }

  static Stream<Arguments> invalidManifests() {
    return Stream.of(
        bad("no modulesContent", m -> m.remove("modulesContent"), "$", "no 'modulesContent'"),
        bad("missing $edgeHub", m -> content(m).remove("$edgeHub"), "$.modulesContent", "missing '$edgeHub'"),
        bad("status", m -> module(m, "c").put("status", "paused"), ".modules['c'].status",
            "expected 'running' or 'stopped'"),
        bad("startup order", m -> module(m, "c").put("startupOrder", -1), ".modules['c'].startupOrder",
            "from 0 to 4294967295"),
        bad("no image", m -> ((ObjectNode) module(m, "c").get("settings")).remove("image"),
            ".modules['c'].settings.image", "expected an image name"),
        bad("createOptions object", m -> ((ObjectNode) module(m, "c").get("settings"))
            .putObject("createOptions"), ".modules['c'].settings.createOptions", "expected a string"),
        bad("env shape", m -> module(m, "c").putObject("env").put("X", "plain"), ".modules['c'].env['X']",
            "expected {\"value\""),
        bad("route syntax", m -> routes(m).put("broken", "FROM /messages/* INT0 $upstream"),
            ".routes['broken']", "position"),
        bad("route type error", m -> routes(m).put("typed", "FROM /messages/* WHERE 3 + true INTO $upstream"),
            ".routes['typed']", ""),
        bad("priority range", m -> ((ObjectNode) routes(m).get("object")).put("priority", 12),
            ".routes['object'].priority", "from 0 (highest) to 9 (lowest)"),
        bad("ttl type", m -> ((ObjectNode) routes(m).get("object")).put("timeToLiveSecs", "soon"),
            ".routes['object'].timeToLiveSecs", "expected an integer"),
        bad("store limit", m -> ((ObjectNode) hub(m).at("/storeAndForwardConfiguration/storeLimits"))
            .put("maxSizeBytes", 0), "storeLimits.maxSizeBytes", "positive integer"),
        bad("twin without properties.desired", m -> ((ObjectNode) content(m).get("b")).remove("properties.desired"),
            "$.modulesContent['b']", "missing 'properties.desired'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void refusesWithTheJsonPath(String name, Consumer<ObjectNode> mutation, String path, String problem)
      throws Exception {
    ObjectNode manifest = validManifest();
    mutation.accept(manifest);
    assertThatThrownBy(() -> ManifestParser.parse(manifest))
        .isInstanceOf(ManifestException.class)
        .satisfies(e -> assertThat(((ManifestException) e).jsonPath()).endsWith(path))
        .hasMessageContaining(problem);
  }

  /**
   * What edgeAgent and edgeHub accept is the deployment validator's to say ({@code edge run} runs it first): the
   * parser turns into the model what it can, and leaves names, schema versions, policies and placeholders alone.
   */
  @Test
  void leavesTheDeploymentRulesToTheValidator() throws Exception {
    ObjectNode manifest = validManifest();
    agent(manifest).put("schemaVersion", "2.0");
    hub(manifest).put("schemaVersion", "1.0");
    modules(manifest).set("bad name", modules(manifest).get("c").deepCopy());
    module(manifest, "c").put("restartPolicy", "sometimes");
    ((ObjectNode) module(manifest, "a").get("settings")).put("image", "${MODULES.filter}");
    ((ObjectNode) module(manifest, "c").get("settings")).put("createOptions", "{oops");
    routes(manifest).put("a.b", "FROM /messages/* INTO $upstream");
    content(manifest).putObject("ghost").putObject("properties.desired").put("x", 1);
    ((ObjectNode) content(manifest).get("b")).putObject("tags");

    DeploymentManifest m = ManifestParser.parse(manifest);

    assertThat(m.modules()).extracting(ManifestModule::name).containsExactly("a", "b", "bad name", "c");
    assertThat(m.routes()).extracting(RouteSpec::name).containsExactly("legacy", "object", "zeroTtl", "a.b");
    assertThat(m.module("c").orElseThrow().createOptions()).isEqualTo("{oops");
    assertThat(m.desiredProperties()).as("no module holds ghost's twin here").containsOnlyKeys("b");
  }

  @Test
  void refusesTextThatIsNotJsonWithItsPosition() {
    assertThatThrownBy(() -> ManifestParser.parse("{\"modulesContent\": {"))
        .isInstanceOf(ManifestException.class).hasMessageContaining("not JSON").hasMessageContaining("line 1");
  }

  private static Arguments bad(String name, Consumer<ObjectNode> mutation, String path, String problem) {
    return Arguments.of(name, mutation, path, problem);
  }

  private static ObjectNode content(ObjectNode m) {
    return (ObjectNode) m.get("modulesContent");
  }

  private static ObjectNode agent(ObjectNode m) {
    return (ObjectNode) m.at("/modulesContent/$edgeAgent/properties.desired");
  }

  private static ObjectNode hub(ObjectNode m) {
    return (ObjectNode) m.at("/modulesContent/$edgeHub/properties.desired");
  }

  private static ObjectNode modules(ObjectNode m) {
    return (ObjectNode) agent(m).get("modules");
  }

  private static ObjectNode module(ObjectNode m, String name) {
    return (ObjectNode) modules(m).get(name);
  }

  private static ObjectNode routes(ObjectNode m) {
    return (ObjectNode) hub(m).get("routes");
  }
}
