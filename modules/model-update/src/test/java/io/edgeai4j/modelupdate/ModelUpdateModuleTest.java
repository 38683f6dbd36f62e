package io.edgeai4j.modelupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.edgeai4j.runtime.testing.RecordingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The module under the local runtime (real hub, routes and twin), with a recording module playing the inference
 * module (it receives {@code activate} and the test answers {@code activated}) and a loopback package server.
 */
class ModelUpdateModuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ROUTES = """
      {"activate": "FROM /messages/modules/model-update/outputs/activate INTO BrokeredEndpoint(\\"/modules/inference/inputs/activate\\")",
       "activated": "FROM /messages/modules/inference/outputs/activated INTO BrokeredEndpoint(\\"/modules/model-update/inputs/activated\\")",
       "twin": "FROM /twinChangeNotifications INTO BrokeredEndpoint(\\"/modules/inference/inputs/twin\\")"}""";

  @TempDir Path dir;
  private Path repository;
  private Path stateDirectory;
  private PackageServer server;
  private TestPackages packages;
  private final AtomicLong freeSpace = new AtomicLong(Long.MAX_VALUE);
  /** Free space by directory, on top of {@code freeSpace}. */
  private volatile java.util.function.ToLongFunction<Path> unpackSpace = directory -> Long.MAX_VALUE;
  private final TestClock clock = new TestClock(Instant.now());
  private final List<LocalEdgeRuntime> runtimes = new ArrayList<>();
  private RecordingModule inference;
  private Path keyFile;
  /**
   * Whether {@link #run} sets {@code allowUnsignedReleases: true} (unless the document says otherwise): the tests of
   * the pipeline run unsigned releases; those of signatures set it false or configure a key.
   */
  private boolean allowUnsigned = true;
  private PrometheusRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    repository = dir.resolve("models");
    stateDirectory = dir.resolve("state");
    server = new PackageServer();
    packages = new TestPackages(Files.createDirectories(dir.resolve("scratch")));
  }

  @AfterEach
  void tearDown() {
    runtimes.forEach(LocalEdgeRuntime::close);
    server.close();
  }

  /** Starts model-update (the module's real factory but for free space) and the recording inference module. */
  private LocalEdgeRuntime run(String desired) throws Exception {
    inference = new RecordingModule("activate", "twin");
    ObjectNode desiredNode = (ObjectNode) JSON.readTree(desired);
    if (allowUnsigned && !desiredNode.has("allowUnsignedReleases")) {
      desiredNode.put("allowUnsignedReleases", true);
    }
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "model-update": {"type": "docker", "status": "running", "startupOrder": 2,
              "settings": {"image": "myacr.azurecr.io/edgeai4j/model-update:0.1.0-amd64"},
              "env": {"MODEL_REPOSITORY": {"value": "%s"}, "STATE_DIRECTORY": {"value": "%s"}%s}},
            "inference": {"type": "docker", "status": "running", "startupOrder": 1,
              "settings": {"image": "test/inference:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": %s,
            "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
          "model-update": {"properties.desired": %s}
        }}
        """.formatted(repository, stateDirectory, keyFile == null ? ""
            : ", \"MODEL_SIGNING_PUBLIC_KEY_FILE\": {\"value\": \"" + keyFile + "\"}", ROUTES, desiredNode);
    EdgeModuleFactory modelUpdate = new EdgeModuleFactory() {
      @Override
      public String id() {
        return new ModelUpdateModuleFactory().id();
      }

      @Override
      public String description() {
        return "model-update with a test free-space source";
      }

      @Override
      public EdgeModule create() {
        return new ModelUpdateModule(directory -> Math.min(freeSpace.get(), unpackSpace.applyAsLong(directory)),
            clock);
      }
    };
    RuntimeOptions options = RuntimeOptions.builder()
        .upstreamFile(dir.resolve("upstream.jsonl"))
        .console(null)
        .adminPort(0)
        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registry(registry = new PrometheusRegistry())
        .drainTimeout(Duration.ofSeconds(5))
        .factories(List.of(modelUpdate, inference.factory("inference")))
        .build();
    LocalEdgeRuntime runtime = LocalEdgeRuntime.start(ManifestParser.parse(manifest), options);
    runtimes.add(runtime);
    return runtime;
  }

  /** A release of {@code pkg}, served at {@code /<model>/<version>/package.zip}. */
  private ObjectNode release(String model, long version, byte[] pkg) {
    URI uri = server.put("/" + model + "/" + version + "/package.zip", pkg);
    ObjectNode node = JSON.createObjectNode();
    node.put("version", version);
    node.put("uri", uri.toString());
    node.put("sha256", TestPackages.sha256(pkg));
    node.put("size", pkg.length);
    return node;
  }

  private static String models(String model, JsonNode release) {
    ObjectNode desired = JSON.createObjectNode();
    desired.putObject("models").set(model, release);
    return desired.toString();
  }

  private static void patch(LocalEdgeRuntime runtime, String json) throws Exception {
    runtime.hub().patchDesired("model-update", (ObjectNode) JSON.readTree(json));
  }

  private static JsonNode reported(LocalEdgeRuntime runtime, String model) {
    return runtime.hub().twin("model-update").reported().path("models").path(model);
  }

  private static JsonNode awaitState(LocalEdgeRuntime runtime, String model, String state, long desiredVersion) {
    await().atMost(WAIT).until(() -> reported(runtime, model).path("state").asText().equals(state)
        && reported(runtime, model).path("desiredVersion").asLong() == desiredVersion);
    return reported(runtime, model);
  }

  /** The states model-update reported for a model, in order, repeats of one state folded. */
  private List<String> reportedStates(String model) {
    List<String> states = new ArrayList<>();
    for (EdgeMessage m : inference.on("twin")) {
      if (!"model-update".equals(m.properties().get("moduleId"))) {
        continue;
      }
      JsonNode state = m.bodyAsJson().at("/properties/reported/models/" + model + "/state");
      if (state.isTextual() && (states.isEmpty() || !states.get(states.size() - 1).equals(state.asText()))) {
        states.add(state.asText());
      }
    }
    return states;
  }

  /** Milliseconds of backoff, so that retries take no time in tests. */
  private static final String BACKOFF = "{\"initialBackoffMillis\": 20, \"maxBackoffMillis\": 100}";

  /** {@code desired} with the short {@link #BACKOFF}. */
  private static String withBackoff(String desired) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(desired);
    node.set("download", JSON.readTree(BACKOFF));
    return node.toString();
  }

  /** The value of the retries counter for a model and reason (0 when never counted). */
  private double retries(String model, String reason) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("edgeai4j_model_update_download_retries"))
        .flatMap(m -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) m).getDataPoints().stream())
        .filter(d -> d.getLabels().get("model").equals(model) && d.getLabels().get("reason").equals(reason))
        .mapToDouble(io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  /** The {@code attempts} model-update reported for a model, in order (reports without it left out). */
  private List<Long> reportedAttempts(String model) {
    List<Long> attempts = new ArrayList<>();
    for (EdgeMessage m : inference.on("twin")) {
      JsonNode a = m.bodyAsJson().at("/properties/reported/models/" + model + "/attempts");
      if ("model-update".equals(m.properties().get("moduleId")) && a.isNumber()) {
        attempts.add(a.asLong());
      }
    }
    return attempts;
  }

  /** Waits for the {@code n}-th activation request (1-based). */
  private JsonNode awaitActivate(int n) {
    await().atMost(WAIT).until(() -> inference.on("activate").size() >= n);
    return inference.on("activate").get(n - 1).bodyAsJson();
  }

  private void answer(JsonNode request, String outcome, String reason, long... serving) throws Exception {
    ObjectNode reply = JSON.createObjectNode();
    reply.set("requestId", request.get("requestId"));
    reply.set("model", request.get("model"));
    reply.set("version", request.get("version"));
    reply.put("outcome", outcome);
    if (reason != null) {
      reply.put("reason", reason);
    }
    var array = reply.putArray("serving");
    for (long v : serving) {
      array.add(v);
    }
    inference.send("activated", EdgeMessage.json(reply.toString()));
  }

  /** {@code release} activated only inside a daily window, UTC. */
  private static ObjectNode window(ObjectNode release, String start, String end) {
    release.putObject("activation").put("policy", "window").put("start", start).put("end", end);
    return release;
  }

  /**
   * Holds for 1.5 s: the model stays staged, no further activation request is sent and the version is not in the
   * repository. The clock stands one second before the window, so the worker re-checks it every second meanwhile.
   */
  private void assertStaysStaged(LocalEdgeRuntime runtime, String model, long version, int activations) {
    awaitState(runtime, model, "staged", version);
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> inference.on("activate").size() == activations
        && reported(runtime, model).path("state").asText().equals("staged")
        && !Files.exists(repository.resolve(model).resolve(Long.toString(version))));
    assertThat(stateDirectory.resolve("staged/" + model + "/" + version + "/model.onnx")).exists();
  }

  private List<String> repositoryEntries(String model) throws Exception {
    try (Stream<Path> entries = Files.list(repository.resolve(model))) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Runs a version through to active (the recording module answers active). */
  private void activate(LocalEdgeRuntime runtime, String model, long version, int activateCount) throws Exception {
    JsonNode request = awaitActivate(activateCount);
    assertThat(request.get("version").asLong()).isEqualTo(version);
    answer(request, "active", null, version);
    awaitState(runtime, model, "active", version);
  }

  @Test
  void aReleaseIsDownloadedVerifiedStagedAndActivatedOnlyWhenTheInferenceModuleSaysSo() throws Exception {
    byte[] v1 = packages.linear("classifier", 1, 8);
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, v1)));

    JsonNode request = awaitActivate(1);
    assertThat(request.get("model").asText()).isEqualTo("classifier");
    assertThat(request.get("version").asLong()).isEqualTo(1);
    assertThat(request.get("requestId").asText()).isNotBlank();
    assertThat(repository.resolve("classifier/1/model.onnx")).exists();
    assertThat(repository.resolve("classifier/1/model.json")).exists();
    assertThat(stateDirectory.resolve("staged/classifier/1")).as("moved, not copied").doesNotExist();
    JsonNode activating = awaitState(runtime, "classifier", "activating", 1);
    assertThat(activating.path("activeVersion").isMissingNode()).as("never claims active before the reply").isTrue();

    answer(request, "active", null, 1);
    JsonNode active = awaitState(runtime, "classifier", "active", 1);
    assertThat(active.get("activeVersion").asLong()).isEqualTo(1);
    assertThat(active.path("reason").isMissingNode()).as("a null reason deletes the reported one").isTrue();
    assertThat(active.at("/progress/total").asLong()).isEqualTo(0);
    assertThat(reportedStates("classifier"))
        .containsExactly("downloading", "verifying", "staged", "activating", "active");
    assertThat(stateDirectory.resolve("archive/classifier/1.zip")).hasBinaryContent(v1);
    assertThat(stateDirectory.resolve("downloads/classifier")).isEmptyDirectory();

    MethodResponse status = runtime.hub().invokeMethod("model-update", "status", JSON.createObjectNode(), WAIT);
    assertThat(status.status()).isEqualTo(200);
    JsonNode statusOfModel = status.payload().at("/models/classifier");
    assertThat(statusOfModel.get("state").asText()).isEqualTo("active");
    assertThat(statusOfModel.get("since")).isEqualTo(active.get("since"));
    assertThat(statusOfModel.get("activeVersion")).isEqualTo(active.get("activeVersion"));
  }

  @Test
  void theSameDesiredPatchTwiceDownloadsNothingAndChangesNothing() throws Exception {
    byte[] v1 = packages.linear("classifier", 1, 8);
    ObjectNode release = release("classifier", 1, v1);
    LocalEdgeRuntime runtime = run(models("classifier", release));
    activate(runtime, "classifier", 1, 1);
    JsonNode before = reported(runtime, "classifier").deepCopy();
    int requests = server.paths().size();
    int notifications = inference.on("twin").size();

    patch(runtime, "{\"keepVersions\": 3}");
    patch(runtime, models("classifier", release));
    // A later, unrelated patch is the marker that both patches above were applied.
    patch(runtime, "{\"keepVersions\": 4}");
    await().atMost(WAIT).until(() -> inference.on("twin").size() >= notifications + 3);

    assertThat(server.paths()).hasSize(requests);
    assertThat(inference.on("activate")).hasSize(1);
    assertThat(reported(runtime, "classifier")).isEqualTo(before);
  }

  @Test
  void aWrongHashOrACorruptedDownloadFailsNamingBothHashesAndNothingIsStaged() throws Exception {
    byte[] v1 = packages.linear("classifier", 1, 8);
    ObjectNode wrongHash = release("classifier", 1, v1);
    wrongHash.put("sha256", "ab".repeat(32));
    byte[] good = packages.linear("detector", 1, 8);
    ObjectNode corrupted = release("detector", 1, good);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x5a;
    server.put("/detector/1/package.zip", bad);
    ObjectNode desired = JSON.createObjectNode();
    desired.putObject("models").<ObjectNode>set("classifier", wrongHash).set("detector", corrupted);
    LocalEdgeRuntime runtime = run(desired.toString());

    JsonNode classifier = awaitState(runtime, "classifier", "failed", 1);
    assertThat(classifier.get("reason").asText()).isEqualTo("sha256 of the downloaded package is "
        + TestPackages.sha256(v1) + ", the release says " + "ab".repeat(32));
    JsonNode detector = awaitState(runtime, "detector", "failed", 1);
    assertThat(detector.get("reason").asText()).isEqualTo("sha256 of the downloaded package is "
        + TestPackages.sha256(bad) + ", the release says " + TestPackages.sha256(good));
    assertThat(repository.resolve("classifier/1")).doesNotExist();
    assertThat(repository.resolve("detector/1")).doesNotExist();
    assertThat(stateDirectory.resolve("downloads/detector")).as("deleted, so a retry downloads again")
        .isEmptyDirectory();
    assertThat(inference.on("activate")).isEmpty();
    assertThat(reportedStates("detector")).containsExactly("downloading", "verifying", "failed");
  }

  @Test
  void withAPublicKeyOnlyWellSignedReleasesAreActivated() throws Exception {
    KeyPair keys = ReleaseSignatures.generate("Ed25519");
    KeyPair other = ReleaseSignatures.generate("Ed25519");
    ObjectNode signed = release("signed", 1, packages.linear("signed", 1, 8));
    ModelRelease signedRelease = ModelRelease.fromJson("signed", signed, "models.signed");
    signed.put("signature", ReleaseSignatures.sign(signedRelease, keys.getPrivate()));
    ObjectNode forged = release("forged", 1, packages.linear("forged", 1, 8));
    forged.put("signature", ReleaseSignatures.sign(ModelRelease.fromJson("forged", forged, "models.forged"),
        other.getPrivate()));
    ObjectNode unsigned = release("unsigned", 1, packages.linear("unsigned", 1, 8));
    ObjectNode desired = JSON.createObjectNode();
    desired.put("publicKey", ReleaseSignatures.toPem(keys.getPublic()));
    desired.putObject("models").<ObjectNode>set("signed", signed).<ObjectNode>set("forged", forged)
        .set("unsigned", unsigned);
    LocalEdgeRuntime runtime = run(desired.toString());

    activate(runtime, "signed", 1, 1);
    assertThat(awaitState(runtime, "forged", "failed", 1).get("reason").asText())
        .startsWith("models.forged.signature");
    assertThat(awaitState(runtime, "unsigned", "failed", 1).get("reason").asText())
        .startsWith("models.unsigned.signature: missing");
    assertThat(repository.resolve("forged")).doesNotExist();
    assertThat(repository.resolve("unsigned")).doesNotExist();
    assertThat(inference.on("activate")).hasSize(1);
  }

  /** {@code node} (a release of {@code model}) with its signature by {@code key}; signed last, over every field. */
  private static ObjectNode signed(String model, ObjectNode node, PrivateKey key) throws Exception {
    node.remove("signature");
    return node.put("signature", ReleaseSignatures.sign(ModelRelease.fromJson(model, node, "models." + model), key));
  }

  @Test
  void withNoKeyEveryReleaseIsRefusedUntilAllowUnsignedReleasesSaysOtherwiseAndTheSettingIsReported()
      throws Exception {
    allowUnsigned = false;
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1,
        packages.linear("classifier", 1, 8))));
    assertThat(awaitState(runtime, "classifier", "failed", 1).get("reason").asText()).isEqualTo(
        "models.classifier.signature: no public key is configured (MODEL_SIGNING_PUBLIC_KEY_FILE or publicKey), so no"
            + " release can be verified; expected a key, or allowUnsignedReleases: true to run releases unchecked");
    assertThat(runtime.hub().twin("model-update").reported().get("signatures")).isEqualTo(JSON.readTree(
        "{\"required\": true, \"allowUnsignedReleases\": false, \"key\": \"none\"}"));
    assertThat(server.paths()).as("refused before the download").isEmpty();

    patch(runtime, "{\"allowUnsignedReleases\": true}");
    activate(runtime, "classifier", 1, 1);
    assertThat(runtime.hub().twin("model-update").reported().get("signatures")).isEqualTo(JSON.readTree(
        "{\"required\": false, \"allowUnsignedReleases\": true, \"key\": \"none\"}"));

    patch(runtime, "{\"allowUnsignedReleases\": \"yes\"}");
    await().atMost(WAIT).until(() -> runtime.hub().twin("model-update").reported().path("configurationStatus")
        .path("error").asText().contains("allowUnsignedReleases: expected true or false, found \"yes\""));
  }

  @Test
  void anOlderSignedReleaseReplayedIsRefusedNamingBothVersionsAndOneSignedAsARollbackIsActivated()
      throws Exception {
    KeyPair keys = ReleaseSignatures.generate("EC");
    keyFile = Files.writeString(dir.resolve("signing.pem"), ReleaseSignatures.toPem(keys.getPublic()));
    allowUnsigned = false;
    ObjectNode r1 = signed("classifier", release("classifier", 1, packages.linear("classifier", 1, 8)),
        keys.getPrivate());
    ObjectNode r2 = signed("classifier", release("classifier", 2, packages.linear("classifier", 2, 8)),
        keys.getPrivate());
    LocalEdgeRuntime runtime = run(models("classifier", r1));
    assertThat(runtime.hub().twin("model-update").reported().get("signatures")).isEqualTo(JSON.readTree(
        "{\"required\": true, \"allowUnsignedReleases\": false, \"key\": \"file\"}"));
    activate(runtime, "classifier", 1, 1);
    patch(runtime, models("classifier", r2));
    activate(runtime, "classifier", 2, 2);
    int downloads = server.paths().size();

    patch(runtime, models("classifier", r1)); // the old twin entry, validly signed, written back
    JsonNode refused = awaitState(runtime, "classifier", "failed", 1);
    assertThat(refused.get("reason").asText()).isEqualTo("models.classifier.version: 1 is older than the active"
        + " version 2; a release that goes back must say so in its signed fields (\"rollback\": true, edge model"
        + " publish --rollback)");
    assertThat(refused.get("activeVersion").asLong()).isEqualTo(2);
    assertThat(repositoryEntries("classifier")).containsExactly("1", "2");
    assertThat(inference.on("activate")).hasSize(2);

    ObjectNode forgedRollback = r1.deepCopy().put("rollback", true); // the old signature does not cover it
    patch(runtime, models("classifier", forgedRollback));
    assertThat(awaitState(runtime, "classifier", "failed", 1).get("reason").asText()).isEqualTo(
        "models.classifier.signature: does not verify with the configured EC P-256 key");

    patch(runtime, models("classifier", signed("classifier", forgedRollback, keys.getPrivate())));
    JsonNode request = awaitActivate(3);
    assertThat(request.get("version").asLong()).isEqualTo(1);
    answer(request, "active", null, 1);
    assertThat(awaitState(runtime, "classifier", "active", 1).get("activeVersion").asLong()).isEqualTo(1);
    assertThat(server.paths()).as("version 1 came from the archive").hasSize(downloads);
  }

  @Test
  void withNoActiveVersionKnownTheNewestVersionInTheRepositoryIsTheOneAnOlderReleaseMayNotReplace() throws Exception {
    Path zip = Files.write(dir.resolve("v2.zip"), packages.linear("classifier", 2, 8));
    ModelPackage.unpack(zip, repository.resolve("classifier/2"), 1 << 20); // installed before model-update ran
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1,
        packages.linear("classifier", 1, 8))));
    assertThat(awaitState(runtime, "classifier", "failed", 1).get("reason").asText())
        .startsWith("models.classifier.version: 1 is older than the active version 2; ");
    assertThat(server.paths()).isEmpty();
  }

  @Test
  void aVersionStagedBeforeAKeyWasConfiguredIsVerifiedAgainAndNotActivatedWhenItFails() throws Exception {
    KeyPair keys = ReleaseSignatures.generate("Ed25519");
    clock.set(Instant.parse("2025-03-10T01:59:59Z"));
    ObjectNode unsigned = window(release("classifier", 1, packages.linear("classifier", 1, 8)), "02:00", "04:00");
    LocalEdgeRuntime runtime = run(models("classifier", unsigned));
    assertStaysStaged(runtime, "classifier", 1, 0);

    patch(runtime, "{\"publicKey\": " + JSON.writeValueAsString(ReleaseSignatures.toPem(keys.getPublic())) + "}");
    JsonNode failed = awaitState(runtime, "classifier", "failed", 1);
    assertThat(failed.get("reason").asText())
        .isEqualTo("models.classifier.signature: missing, and a public key (Ed25519) is configured");
    assertThat(runtime.hub().twin("model-update").reported().get("signatures")).isEqualTo(JSON.readTree(
        "{\"required\": true, \"allowUnsignedReleases\": true, \"key\": \"twin\"}"));
    assertThat(stateDirectory.resolve("staged/classifier/1")).as("staged copy deleted").doesNotExist();
    assertThat(repository.resolve("classifier/1")).doesNotExist();
    clock.set(Instant.parse("2025-03-10T02:00:01Z"));
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> inference.on("activate").isEmpty());

    patch(runtime, models("classifier", signed("classifier", unsigned, keys.getPrivate())));
    activate(runtime, "classifier", 1, 1);
    assertThat(server.paths()).as("the verified package is reused from the archive").hasSize(1);
  }

  @Test
  void anExpiredReleaseIsRefusedBeforeItsDownload() throws Exception {
    Instant now = Instant.parse("2025-03-10T12:00:00Z");
    clock.set(now);
    ObjectNode expired = release("classifier", 1, packages.linear("classifier", 1, 8))
        .put("notBefore", "2025-03-01T00:00:00Z").put("expires", "2025-03-10T12:00:00Z");
    LocalEdgeRuntime runtime = run(models("classifier", expired));
    assertThat(awaitState(runtime, "classifier", "failed", 1).get("reason").asText()).isEqualTo(
        "models.classifier.expires: the release expired at 2025-03-10T12:00:00Z; the device's clock says "
            + "2025-03-10T12:00:00Z");
    assertThat(server.paths()).isEmpty();
  }

  @Test
  void aStagedVersionWaitsForItsNotBeforeAndOneWhoseWindowOpensWhenItExpiresIsNeverActivated() throws Exception {
    clock.set(Instant.parse("2025-03-10T01:59:59Z"));
    ObjectNode later = release("classifier", 1, packages.linear("classifier", 1, 8))
        .put("notBefore", "2025-03-10T02:00:00Z");
    ObjectNode expiring = window(release("detector", 1, packages.linear("detector", 1, 8)), "02:00", "04:00")
        .put("expires", "2025-03-10T02:00:00Z");
    ObjectNode desired = JSON.createObjectNode();
    desired.putObject("models").<ObjectNode>set("classifier", later).set("detector", expiring);
    LocalEdgeRuntime runtime = run(desired.toString());
    assertStaysStaged(runtime, "classifier", 1, 0);

    assertStaysStaged(runtime, "detector", 1, 0);

    clock.set(Instant.parse("2025-03-10T02:00:00Z"));
    activate(runtime, "classifier", 1, 1);
    assertThat(awaitState(runtime, "detector", "failed", 1).get("reason").asText()).isEqualTo(
        "models.detector.expires: the release expired at 2025-03-10T02:00:00Z; the device's clock says "
            + "2025-03-10T02:00:00Z");
    assertThat(repository.resolve("detector")).doesNotExist();
    assertThat(inference.on("activate")).hasSize(1);
  }

  @Test
  void aModelWhoseInputsDoNotMatchTheServingVersionOrItsOwnModelJsonFailsNamingTheInput() throws Exception {
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, packages.linear("classifier", 1, 8))));
    activate(runtime, "classifier", 1, 1);

    patch(runtime, models("classifier", release("classifier", 2, packages.linear("classifier", 2, 6))));
    JsonNode v2 = awaitState(runtime, "classifier", "failed", 2);
    assertThat(v2.get("reason").asText()).isEqualTo(
        "inputs.x: the new version takes float32[-1, 6], the serving version 1 takes float32[-1, 8]");
    assertThat(v2.get("activeVersion").asLong()).isEqualTo(1);

    patch(runtime, models("classifier", release("classifier", 3, packages.linear("classifier", 3, 8, 6))));
    assertThat(awaitState(runtime, "classifier", "failed", 3).get("reason").asText())
        .isEqualTo("inputs.x: model.json says float32[-1, 6], model.onnx has float32[-1, 8]");
    assertThat(repository.resolve("classifier/2")).doesNotExist();
    assertThat(repository.resolve("classifier/3")).doesNotExist();
    assertThat(repository.resolve("classifier/1/model.onnx")).exists();
    assertThat(inference.on("activate")).hasSize(1);
  }

  @Test
  void anOversizeFileFailsAndAFullDiskIsRetriedUntilThereIsRoom() throws Exception {
    byte[] pkg = packages.linear("big", 1, 8);
    ObjectNode overMax = release("big", 1, pkg);
    ObjectNode lying = release("lying", 1, pkg);
    lying.put("size", pkg.length - 10);
    ObjectNode desired = JSON.createObjectNode();
    desired.putObject("download").put("maxPackageBytes", pkg.length - 1);
    desired.putObject("models").<ObjectNode>set("big", overMax).set("lying", lying);
    LocalEdgeRuntime runtime = run(desired.toString());

    assertThat(awaitState(runtime, "big", "failed", 1).get("reason").asText())
        .isEqualTo("models.big.size: " + pkg.length + " is over download.maxPackageBytes " + (pkg.length - 1));
    assertThat(awaitState(runtime, "lying", "failed", 1).get("reason").asText())
        .isEqualTo("download: Content-Length " + pkg.length + " is over the release's size " + (pkg.length - 10));
    assertThat(server.paths()).containsExactly("/lying/1/package.zip");

    freeSpace.set(1000);
    ObjectNode full = (ObjectNode) JSON.readTree(models("full", release("full", 1, pkg)));
    full.set("download", ((ObjectNode) JSON.readTree(BACKOFF)).putNull("maxPackageBytes"));
    patch(runtime, full.toString());
    await().atMost(WAIT).until(() -> reported(runtime, "full").path("attempts").asLong() >= 3);
    JsonNode retrying = reported(runtime, "full");
    assertThat(retrying.get("lastError").asText()).startsWith("free space: ").contains("has 1000 bytes usable");
    assertThat(server.paths()).as("no request while the disk is full").containsExactly("/lying/1/package.zip");
    assertThat(repository.resolve("full")).doesNotExist();
    assertThat(inference.on("activate")).isEmpty();

    freeSpace.set(Long.MAX_VALUE);
    activate(runtime, "full", 1, 1);
    assertThat(reportedStates("full")).contains("retrying").doesNotContain("failed");
    assertThat(reported(runtime, "full").has("attempts")).as("deleted once downloaded").isFalse();
    assertThat(retries("full", "disk_full")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aFailedActivationIsRolledBackArchivesTheVersionAndSaysWhichVersionServes() throws Exception {
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, packages.linear("classifier", 1, 8))));
    activate(runtime, "classifier", 1, 1);
    patch(runtime, models("classifier", release("classifier", 2, packages.linear("classifier", 2, 8))));
    JsonNode request = awaitActivate(2);
    assertThat(repository.resolve("classifier/2")).exists();

    answer(request, "failed", "golden: output y[0] is 0.31, expected 0.7 within 1.0E-4 + 1.0E-3", 1);
    JsonNode rolledBack = awaitState(runtime, "classifier", "rolledBack", 2);
    assertThat(rolledBack.get("reason").asText()).isEqualTo(
        "activation: golden: output y[0] is 0.31, expected 0.7 within 1.0E-4 + 1.0E-3; version 1 serves");
    assertThat(rolledBack.get("activeVersion").asLong()).isEqualTo(1);
    assertThat(reportedStates("classifier")).endsWith("staged", "activating", "rolledBack");
    assertThat(repository.resolve("classifier/2")).as("never picked again").doesNotExist();
    assertThat(stateDirectory.resolve("archive/classifier/2/model.onnx")).exists();
    assertThat(repository.resolve("classifier/1/model.onnx")).exists();
  }

  @Test
  void noReplyWithinTheTimeoutSendsTheSameRequestAgain() throws Exception {
    ObjectNode desired = (ObjectNode) JSON.readTree(models("classifier",
        release("classifier", 1, packages.linear("classifier", 1, 8))));
    desired.put("activationTimeoutMillis", 300);
    LocalEdgeRuntime runtime = run(desired.toString());
    JsonNode first = awaitActivate(1);
    JsonNode second = awaitActivate(2);
    assertThat(second.get("requestId")).isEqualTo(first.get("requestId"));
    assertThat(reported(runtime, "classifier").get("state").asText()).isEqualTo("activating");
    answer(second, "active", null, 1);
    awaitState(runtime, "classifier", "active", 1);
  }

  @Test
  void aModuleStoppedWhileActivatingAsksAgainWhenStartedAndReachesActive() throws Exception {
    String desired = models("classifier", release("classifier", 1, packages.linear("classifier", 1, 8)));
    LocalEdgeRuntime first = run(desired);
    JsonNode request = awaitActivate(1);
    awaitState(first, "classifier", "activating", 1);
    first.close();
    assertThat(Files.readString(stateDirectory.resolve("state/classifier.json"))).contains("\"activating\"");

    LocalEdgeRuntime second = run(desired);
    JsonNode again = awaitActivate(1);
    assertThat(again.get("requestId")).isEqualTo(request.get("requestId"));
    answer(again, "active", null, 1);
    awaitState(second, "classifier", "active", 1);
    assertThat(server.paths()).as("downloaded once").hasSize(1);
  }

  @Test
  void aRollbackToAnEarlierVersionReusesTheArchiveWithoutADownload() throws Exception {
    ObjectNode r1 = release("classifier", 1, packages.linear("classifier", 1, 8));
    ObjectNode r2 = release("classifier", 2, packages.linear("classifier", 2, 8));
    LocalEdgeRuntime runtime = run(models("classifier", r1));
    activate(runtime, "classifier", 1, 1);
    patch(runtime, models("classifier", r2));
    activate(runtime, "classifier", 2, 2);
    int downloads = server.paths().size();

    patch(runtime, models("classifier", r1.deepCopy().put("rollback", true)));
    JsonNode request = awaitActivate(3);
    assertThat(request.get("version").asLong()).isEqualTo(1);
    assertThat(repository.resolve("classifier/2")).as("newer versions leave the repository").doesNotExist();
    assertThat(stateDirectory.resolve("archive/classifier/2/model.onnx")).exists();
    answer(request, "active", null, 1);
    assertThat(awaitState(runtime, "classifier", "active", 1).get("activeVersion").asLong()).isEqualTo(1);

    patch(runtime, models("classifier", r2));
    activate(runtime, "classifier", 2, 4);
    assertThat(repository.resolve("classifier/2/model.onnx")).exists();
    assertThat(server.paths()).as("no download for either move").hasSize(downloads);
  }

  @Test
  void onlyTheLastKeepVersionsStayInTheRepository() throws Exception {
    ObjectNode desired = (ObjectNode) JSON.readTree(models("classifier",
        release("classifier", 1, packages.linear("classifier", 1, 8))));
    desired.put("keepVersions", 2);
    LocalEdgeRuntime runtime = run(desired.toString());
    activate(runtime, "classifier", 1, 1);
    for (int v = 2; v <= 3; v++) {
      patch(runtime, models("classifier", release("classifier", v, packages.linear("classifier", v, 8))));
      activate(runtime, "classifier", v, v);
    }
    assertThat(repository.resolve("classifier/3")).exists();
    assertThat(repository.resolve("classifier/2")).exists();
    assertThat(repository.resolve("classifier/1")).doesNotExist();
    assertThat(stateDirectory.resolve("archive/classifier/1.zip")).doesNotExist();
  }

  @Test
  void aCorruptOnnxFileWithTheRightHashFailsNamingTheFileAndVersionOneServes() throws Exception {
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, packages.linear("classifier", 1, 8))));
    activate(runtime, "classifier", 1, 1);
    byte[] garbage = "this is not a protobuf, let alone an ONNX model".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    patch(runtime, models("classifier", release("classifier", 2, packages.withModelBytes("classifier", 2, garbage))));

    JsonNode v2 = awaitState(runtime, "classifier", "failed", 2);
    assertThat(v2.get("reason").asText()).contains("model.onnx is not an ONNX model");
    assertThat(v2.get("activeVersion").asLong()).isEqualTo(1);
    assertThat(repository.resolve("classifier/2")).doesNotExist();
    assertThat(inference.on("activate")).as("never handed to the inference module").hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "missing sha256 | {\"version\": 2, \"uri\": \"https://example.com/m.zip\", \"size\": 10} | models.bad.sha256",
      "malformed uri | {\"version\": 2, \"uri\": \"https://exa mple.com/m.zip\", \"sha256\": \"%s\", \"size\": 10} | models.bad.uri",
      "version as text | {\"version\": \"2\", \"uri\": \"https://example.com/m.zip\", \"sha256\": \"%s\", \"size\": 10} | models.bad.version",
      "unknown field | {\"version\": 2, \"url\": \"https://example.com/m.zip\", \"sha256\": \"%s\", \"size\": 10} | models.bad"})
  void aMalformedReleaseFailsNamingTheFieldAndNothingIsDownloaded(String what, String release, String path)
      throws Exception {
    LocalEdgeRuntime runtime = run("{\"models\": {\"bad\": " + release.replace("%s", "ab".repeat(32)) + "}}");
    await().atMost(WAIT).until(() -> reported(runtime, "bad").path("state").asText().equals("failed"));
    JsonNode bad = reported(runtime, "bad");
    assertThat(bad.get("reason").asText()).as(what).startsWith(path);
    assertThat(inference.on("activate")).isEmpty();
  }

  @Test
  void anUnknownModuleWideKeyIsIgnoredWithAWarningWhileAReleaseStaysStrict() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"keepVersion": 2, "download": {"timeoutMilis": 500},
         "models": {"bad": {"version": 2, "url": "https://example.com/m.zip", "sha256": "%s", "size": 10}}}"""
        .formatted("ab".repeat(32)));
    await().atMost(WAIT).until(() -> reported(runtime, "bad").path("state").asText().equals("failed"));
    assertThat(reported(runtime, "bad").get("reason").asText()).startsWith("models.bad");
    JsonNode status = runtime.hub().twin("model-update").reported().path("configurationStatus");
    assertThat(status.path("status").asText()).isEqualTo("applied");
    List<String> warnings = new ArrayList<>();
    status.path("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings).containsExactly(
        "/keepVersion: unknown key, ignored; did you mean 'keepVersions'?",
        "/download/timeoutMilis: unknown key, ignored; did you mean 'timeoutMillis'?");
  }

  @Test
  void anInvalidReleaseFailsItsModelOnlyAndARemovedModelIsLeftUnmanaged() throws Exception {
    ObjectNode desired = JSON.createObjectNode();
    ObjectNode models = desired.putObject("models");
    models.set("good", release("good", 1, packages.linear("good", 1, 8)));
    models.putObject("bad").put("version", 2).put("uri", "ftp://example.com/x.zip").put("sha256", "ab".repeat(32))
        .put("size", 10);
    LocalEdgeRuntime runtime = run(desired.toString());
    activate(runtime, "good", 1, 1);
    JsonNode bad = awaitState(runtime, "bad", "failed", 2);
    assertThat(bad.get("reason").asText()).startsWith("models.bad.uri");

    patch(runtime, "{\"models\": {\"good\": null}}");
    await().atMost(WAIT).until(() -> reported(runtime, "good").path("state").asText().equals("unmanaged"));
    assertThat(reported(runtime, "good").get("activeVersion").asLong()).isEqualTo(1);
    assertThat(repository.resolve("good/1/model.onnx")).as("left serving").exists();
  }

  @ParameterizedTest(name = "window {0}-{1}: closed at {2}, open at {3}")
  @CsvSource({
      "02:00, 04:00, 2025-03-10T01:59:59Z, 2025-03-10T02:00:30Z",
      "22:00, 02:00, 2025-03-10T21:59:59Z, 2025-03-11T00:30:00Z"})
  void aVersionWaitingForItsWindowStaysOutOfTheRepositoryUntilTheClockIsInside(String start, String end,
      Instant closed, Instant open) throws Exception {
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, packages.linear("classifier", 1, 8))));
    activate(runtime, "classifier", 1, 1);
    clock.set(closed);
    patch(runtime, models("classifier", window(release("classifier", 2, packages.linear("classifier", 2, 8)),
        start, end)));

    assertStaysStaged(runtime, "classifier", 2, 1);
    assertThat(repositoryEntries("classifier")).containsExactly("1");

    clock.set(open);
    JsonNode request = awaitActivate(2);
    assertThat(request.get("version").asLong()).isEqualTo(2);
    assertThat(repository.resolve("classifier/2/model.onnx")).exists();
    assertThat(stateDirectory.resolve("staged/classifier/2")).doesNotExist();
    answer(request, "active", null, 2);
    awaitState(runtime, "classifier", "active", 2);
    assertThat(reportedStates("classifier")).endsWith("active", "downloading", "verifying", "staged", "activating",
        "active");
  }

  @Test
  void aRestartWhileStagedForAWindowKeepsTheVersionOutOfTheRepositoryAndActivatesItInTheWindow() throws Exception {
    clock.set(Instant.parse("2025-03-10T01:59:59Z"));
    String desired = models("classifier", window(release("classifier", 1, packages.linear("classifier", 1, 8)),
        "02:00", "04:00"));
    LocalEdgeRuntime first = run(desired);
    assertStaysStaged(first, "classifier", 1, 0);
    first.close();
    assertThat(Files.readString(stateDirectory.resolve("state/classifier.json"))).contains("\"staged\"");

    LocalEdgeRuntime second = run(desired);
    assertStaysStaged(second, "classifier", 1, 0);
    clock.set(Instant.parse("2025-03-10T02:00:30Z"));
    JsonNode request = awaitActivate(1);
    assertThat(repository.resolve("classifier/1/model.onnx")).exists();
    answer(request, "active", null, 1);
    awaitState(second, "classifier", "active", 1);
    assertThat(server.paths()).as("downloaded once").hasSize(1);
  }

  @Test
  void aFullDiskDuringTheDownloadIsRetriedWhileThePreviousVersionServes() throws Exception {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full, a device whose writes fail with ENOSPC");
    LocalEdgeRuntime runtime = run(withBackoff(models("classifier", release("classifier", 1,
        packages.linear("classifier", 1, 8)))));
    activate(runtime, "classifier", 1, 1);
    // The free-space source reports plenty of room; the disk is full when the bytes are written.
    byte[] v2 = packages.linear("classifier", 2, 8);
    Path part = stateDirectory.resolve("downloads/classifier/2-" + TestPackages.sha256(v2).substring(0, 16) + ".part");
    Files.createDirectories(part.getParent());
    Files.createSymbolicLink(part, full);

    patch(runtime, models("classifier", release("classifier", 2, v2)));
    await().atMost(WAIT).until(() -> reported(runtime, "classifier").path("attempts").asLong() >= 2);
    JsonNode retrying = reported(runtime, "classifier");
    assertThat(retrying.get("lastError").asText()).startsWith("writing " + part + " failed at byte 0: ")
        .contains("No space left on device");
    assertThat(retrying.get("activeVersion").asLong()).isEqualTo(1);
    assertThat(repositoryEntries("classifier")).containsExactly("1");
    assertThat(stateDirectory.resolve("staged/classifier/2")).doesNotExist();
    assertThat(Files.exists(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("the part is kept").isTrue();
    assertThat(inference.on("activate")).hasSize(1);

    Files.delete(part);
    activate(runtime, "classifier", 2, 2);
    assertThat(reportedStates("classifier")).doesNotContain("failed");
  }

  @Test
  void aReleaseThatBecomesInvalidWhileStagedDeletesTheStagedVersionAndLeavesTheRepositoryAlone() throws Exception {
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, packages.linear("classifier", 1, 8))));
    activate(runtime, "classifier", 1, 1);
    clock.set(Instant.parse("2025-03-10T01:59:59Z"));
    ObjectNode v2 = window(release("classifier", 2, packages.linear("classifier", 2, 8)), "02:00", "04:00");
    patch(runtime, models("classifier", v2));
    awaitState(runtime, "classifier", "staged", 2);
    assertThat(stateDirectory.resolve("staged/classifier/2/model.onnx")).exists();

    v2.put("uri", "ftp://example.com/classifier/2/package.zip");
    patch(runtime, models("classifier", v2));
    JsonNode failed = awaitState(runtime, "classifier", "failed", 2);
    assertThat(failed.get("reason").asText()).startsWith("models.classifier.uri");
    assertThat(failed.get("activeVersion").asLong()).isEqualTo(1);
    assertThat(stateDirectory.resolve("staged/classifier/2")).doesNotExist();
    assertThat(repositoryEntries("classifier")).containsExactly("1");

    clock.set(Instant.parse("2025-03-10T02:00:30Z"));
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> inference.on("activate").size() == 1);
  }

  @Test
  void aRollbackTheInferenceModuleRefusesPutsTheNewerVersionBackIntoTheRepository() throws Exception {
    ObjectNode r1 = release("classifier", 1, packages.linear("classifier", 1, 8));
    LocalEdgeRuntime runtime = run(models("classifier", r1));
    activate(runtime, "classifier", 1, 1);
    patch(runtime, models("classifier", release("classifier", 2, packages.linear("classifier", 2, 8))));
    activate(runtime, "classifier", 2, 2);

    patch(runtime, models("classifier", r1.deepCopy().put("rollback", true)));
    JsonNode request = awaitActivate(3);
    assertThat(repositoryEntries("classifier")).containsExactly("1");
    answer(request, "failed", "golden check failed: output y[0] is 0.31, expected 0.7", 2);
    JsonNode rolledBack = awaitState(runtime, "classifier", "rolledBack", 1);
    assertThat(rolledBack.get("reason").asText())
        .isEqualTo("activation: golden check failed: output y[0] is 0.31, expected 0.7; version 2 serves");
    assertThat(rolledBack.get("activeVersion").asLong()).isEqualTo(2);
    assertThat(repositoryEntries("classifier")).as("what a restart of the inference module loads").containsExactly("2");
    assertThat(stateDirectory.resolve("archive/classifier/1/model.onnx")).exists();
  }

  @Test
  void aModuleStoppedAfterDecidingToActivateButBeforeTheMoveMovesTheVersionInAndAsksAgain() throws Exception {
    clock.set(Instant.parse("2025-03-10T01:59:59Z"));
    String desired = models("classifier", window(release("classifier", 1, packages.linear("classifier", 1, 8)),
        "02:00", "04:00"));
    LocalEdgeRuntime first = run(desired);
    assertStaysStaged(first, "classifier", 1, 0);
    first.close();
    // A crash right after the state file said activating, before the directory moved.
    Path stateFile = stateDirectory.resolve("state/classifier.json");
    ObjectNode state = (ObjectNode) JSON.readTree(stateFile.toFile());
    state.put("state", "activating").put("requestId", "request-before-the-crash");
    Files.writeString(stateFile, state.toString());

    LocalEdgeRuntime second = run(desired);
    JsonNode request = awaitActivate(1);
    assertThat(request.get("requestId").asText()).isEqualTo("request-before-the-crash");
    assertThat(repository.resolve("classifier/1/model.onnx")).exists();
    assertThat(stateDirectory.resolve("staged/classifier/1")).doesNotExist();
    answer(request, "active", null, 1);
    awaitState(second, "classifier", "active", 1);
  }

  @Test
  void aReleaseRefusedBeforeARestartIsActivatedWhenFixedForTheSameVersion() throws Exception {
    ObjectNode r1 = release("classifier", 1, packages.linear("classifier", 1, 8));
    ObjectNode invalid = r1.deepCopy().put("uri", "ftp://example.com/classifier/1/package.zip");
    LocalEdgeRuntime first = run(models("classifier", invalid));
    awaitState(first, "classifier", "failed", 1);
    first.close();

    LocalEdgeRuntime second = run(models("classifier", r1));
    activate(second, "classifier", 1, 1);
    assertThat(reported(second, "classifier").path("reason").isMissingNode()).isTrue();
  }

  @Test
  void aReplyToAnEarlierRequestSetsActiveVersionAndTheServedVersionStillNeedsAHandOver() throws Exception {
    ObjectNode r1 = release("classifier", 1, packages.linear("classifier", 1, 8));
    LocalEdgeRuntime runtime = run(models("classifier", r1));
    activate(runtime, "classifier", 1, 1);
    patch(runtime, models("classifier", release("classifier", 2, packages.linear("classifier", 2, 8))));
    JsonNode request2 = awaitActivate(2);
    clock.set(Instant.parse("2025-03-10T01:59:59Z"));
    patch(runtime, models("classifier", window(release("classifier", 3, packages.linear("classifier", 3, 8)),
        "02:00", "04:00")));
    awaitState(runtime, "classifier", "staged", 3);

    answer(request2, "active", null, 2);
    await().atMost(WAIT).until(() -> reported(runtime, "classifier").path("activeVersion").asLong() == 2);
    assertThat(reported(runtime, "classifier").path("state").asText()).isEqualTo("staged");

    // A twin patch merges: null removes v3's activation window.
    patch(runtime, models("classifier", r1.deepCopy().putNull("activation").put("rollback", true)));
    JsonNode request1 = awaitActivate(3);
    assertThat(request1.get("version").asLong()).as("no shortcut: the inference module is asked").isEqualTo(1);
    JsonNode activating = awaitState(runtime, "classifier", "activating", 1);
    assertThat(activating.get("activeVersion").asLong()).isEqualTo(2);
    assertThat(repositoryEntries("classifier")).containsExactly("1");
    answer(request1, "active", null, 1);
    assertThat(awaitState(runtime, "classifier", "active", 1).get("activeVersion").asLong()).isEqualTo(1);
  }

  @Test
  void aFailedDownloadIsTriedAgainWithARenewedUriButNotWithTheSameOne() throws Exception {
    ObjectNode r1 = release("classifier", 1, packages.linear("classifier", 1, 8));
    ObjectNode expired = r1.deepCopy().put("uri", server.uri("/expired/package.zip").toString());
    LocalEdgeRuntime runtime = run(models("classifier", expired));
    JsonNode failed = awaitState(runtime, "classifier", "failed", 1);
    assertThat(failed.get("reason").asText()).contains("status 404");
    assertThat(server.paths()).as("a 404 is not retried").hasSize(1);
    int requests = server.paths().size();

    patch(runtime, models("classifier", expired));
    patch(runtime, "{\"keepVersions\": 4}");
    int notifications = inference.on("twin").size();
    patch(runtime, "{\"keepVersions\": 5}");
    await().atMost(WAIT).until(() -> inference.on("twin").size() > notifications);
    assertThat(server.paths()).as("the same URI is not tried again").hasSize(requests);
    assertThat(reported(runtime, "classifier").get("state").asText()).isEqualTo("failed");

    patch(runtime, models("classifier", r1));
    activate(runtime, "classifier", 1, 1);
    assertThat(server.paths()).last().isEqualTo("/classifier/1/package.zip");
  }

  @Test
  void aPartOfOtherBytesPublishedUnderTheSameVersionIsDeletedNotResumed() throws Exception {
    byte[] old = packages.linear("classifier", 1, 8);
    byte[] overwritten = packages.linear("classifier", 1, 9);
    Path downloads = Files.createDirectories(stateDirectory.resolve("downloads/classifier"));
    Path oldPart = downloads.resolve("1-" + TestPackages.sha256(old).substring(0, 16) + ".part");
    Files.write(oldPart, java.util.Arrays.copyOf(old, 300));
    Path unnamedPart = Files.write(downloads.resolve("1.part"), java.util.Arrays.copyOf(old, 300));

    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, overwritten)));
    activate(runtime, "classifier", 1, 1);
    assertThat(server.ranges()).as("downloaded from byte 0").containsExactly("");
    assertThat(oldPart).doesNotExist();
    assertThat(unnamedPart).doesNotExist();
    assertThat(stateDirectory.resolve("archive/classifier/1.zip")).hasBinaryContent(overwritten);
  }

  @Test
  void onlyTheVersionsWithinKeepVersionsStayOnDiskAndInterruptedMovesAreCleanedAtStart() throws Exception {
    ObjectNode desired = (ObjectNode) JSON.readTree(models("classifier",
        release("classifier", 1, packages.linear("classifier", 1, 8))));
    desired.put("keepVersions", 2);
    LocalEdgeRuntime first = run(desired.toString());
    activate(first, "classifier", 1, 1);
    patch(first, models("classifier", release("classifier", 2, packages.linear("classifier", 2, 8))));
    activate(first, "classifier", 2, 2);
    patch(first, models("classifier", release("classifier", 3, packages.linear("classifier", 3, 8))));
    answer(awaitActivate(3), "failed", "golden check failed", 2);
    awaitState(first, "classifier", "rolledBack", 3);
    assertThat(stateDirectory.resolve("archive/classifier/3/model.onnx")).exists();
    first.close();
    Path incoming = Files.createDirectories(repository.resolve("classifier/.incoming-7"));
    Path archiveIncoming = Files.createDirectories(stateDirectory.resolve("archive/classifier/.incoming-8"));
    Path outgoing = Files.createDirectories(repository.resolve("classifier/.outgoing-9"));
    Files.writeString(outgoing.resolve("model.json"), "{}");
    Path abandoned = Files.write(stateDirectory.resolve("downloads/classifier/5-0123456789abcdef.part"), new byte[10]);

    desired.set("models", JSON.readTree(models("classifier", release("classifier", 4,
        packages.linear("classifier", 4, 8)))).get("models"));
    LocalEdgeRuntime second = run(desired.toString());
    activate(second, "classifier", 4, 1);
    assertThat(incoming).doesNotExist();
    assertThat(archiveIncoming).doesNotExist();
    assertThat(outgoing).doesNotExist();
    assertThat(abandoned).doesNotExist();
    assertThat(repositoryEntries("classifier")).containsExactly("2", "4");
    try (Stream<Path> archive = Files.list(stateDirectory.resolve("archive/classifier"))) {
      assertThat(archive.map(p -> p.getFileName().toString()).sorted())
          .as("the rolled-back 3, the pruned 1 and the recovered 9 are gone").containsExactly("2.zip", "4.zip");
    }
  }

  @Test
  void theTwinCannotReplaceTheKeyFromTheDevicesKeyFile() throws Exception {
    KeyPair device = ReleaseSignatures.generate("Ed25519");
    KeyPair attacker = ReleaseSignatures.generate("Ed25519");
    keyFile = Files.writeString(dir.resolve("signing.pem"), ReleaseSignatures.toPem(device.getPublic()));
    ObjectNode byAttacker = release("forged", 1, packages.linear("forged", 1, 8));
    byAttacker.put("signature", ReleaseSignatures.sign(ModelRelease.fromJson("forged", byAttacker, "models.forged"),
        attacker.getPrivate()));
    ObjectNode byDevice = release("signed", 1, packages.linear("signed", 1, 8));
    byDevice.put("signature", ReleaseSignatures.sign(ModelRelease.fromJson("signed", byDevice, "models.signed"),
        device.getPrivate()));
    ObjectNode desired = JSON.createObjectNode();
    desired.put("publicKey", ReleaseSignatures.toPem(attacker.getPublic()));
    desired.putObject("models").<ObjectNode>set("forged", byAttacker).set("signed", byDevice);
    LocalEdgeRuntime runtime = run(desired.toString());

    activate(runtime, "signed", 1, 1);
    assertThat(awaitState(runtime, "forged", "failed", 1).get("reason").asText())
        .startsWith("models.forged.signature");
    JsonNode problems = runtime.hub().twin("model-update").reported().path("twinProblems");
    assertThat(problems.toString()).contains("publicKey: differs from the key in MODEL_SIGNING_PUBLIC_KEY_FILE");
    assertThat(inference.on("activate")).hasSize(1);
  }

  @Test
  void aCorruptStateFileIsSetAsideAndTheDesiredReleaseRunsFromTheStart() throws Exception {
    Path stateFile = Files.createDirectories(stateDirectory.resolve("state")).resolve("classifier.json");
    Files.write(stateFile, new byte[0]);
    LocalEdgeRuntime runtime = run(models("classifier", release("classifier", 1, packages.linear("classifier", 1, 8))));
    activate(runtime, "classifier", 1, 1);
    JsonNode setAside = runtime.hub().twin("model-update").reported().path("stateFilesSetAside");
    assertThat(setAside.size()).isEqualTo(1);
    assertThat(setAside.get(0).asText()).startsWith("classifier.json.corrupt-");
    assertThat(stateDirectory.resolve("state").resolve(setAside.get(0).asText())).isEmptyFile();
    assertThat(JSON.readTree(stateFile.toFile()).get("state").asText()).isEqualTo("active");
  }

  @Test
  void tooLittleRoomForTheUnpackedCopyIsRetriedBeforeUnpackingUntilThereIsRoom() throws Exception {
    byte[] v1 = packages.linear("classifier", 1, 8);
    // Room for the download, not for the inflated entries beside the archive.
    long room = 16L * 1024 * 1024 + 10;
    unpackSpace = directory -> directory.endsWith("archive/classifier") ? room : Long.MAX_VALUE;
    LocalEdgeRuntime runtime = run(withBackoff(models("classifier", release("classifier", 1, v1))));
    await().atMost(WAIT).until(() -> reported(runtime, "classifier").path("attempts").asLong() >= 3);
    JsonNode retrying = reported(runtime, "classifier");
    assertThat(retrying.get("lastError").asText()).startsWith("free space: ")
        .contains("has " + room + " bytes usable, unpacking version 1 needs ");
    assertThat(stateDirectory.resolve("staging/classifier/1")).doesNotExist();
    assertThat(inference.on("activate")).isEmpty();

    unpackSpace = directory -> Long.MAX_VALUE;
    activate(runtime, "classifier", 1, 1);
    assertThat(reportedStates("classifier")).contains("retrying").doesNotContain("failed");
    assertThat(server.paths()).as("downloaded once").hasSize(1);
    assertThat(retries("classifier", "disk_full")).isGreaterThanOrEqualTo(3);
  }


  /**
   * Issue 13's scenario, scaled down: the package server is down (its port closed) for the first attempts, then
   * answers 503, 429 (with Retry-After), 408 and 500, then serves the package. The device ends active and never
   * reports failed; while retrying it reports the attempts, the last error and the next attempt's time.
   */
  @Test
  void aPackageServerDownForTheFirstAttemptsAndThenFlakyStillGetsTheModelActive() throws Exception {
    server.down();
    LocalEdgeRuntime runtime = run(withBackoff(models("classifier", release("classifier", 1,
        packages.linear("classifier", 1, 8)))));
    // One reported document, taken while retrying (the next attempt reports downloading, without nextAttemptAt).
    java.util.concurrent.atomic.AtomicReference<JsonNode> seen = new java.util.concurrent.atomic.AtomicReference<>();
    await().atMost(WAIT).until(() -> {
      seen.set(reported(runtime, "classifier"));
      return seen.get().path("attempts").asLong() >= 5 && seen.get().path("state").asText().equals("retrying");
    });
    JsonNode retrying = seen.get();
    assertThat(retrying.get("lastError").asText()).startsWith("request failed: java.net.ConnectException");
    assertThat(Instant.parse(retrying.get("nextAttemptAt").asText())).as("ISO-8601 UTC, by the module's clock")
        .isBetween(clock.instant(), clock.instant().plusMillis(100));
    assertThat(retrying.get("nextAttemptAt").asText()).endsWith("Z");
    assertThat(retries("classifier", "connection")).isGreaterThanOrEqualTo(5);

    server.fault(new PackageServer.Status(503), new PackageServer.RetryAfter(429, "0"),
        new PackageServer.Status(408), new PackageServer.Status(500));
    server.up();
    activate(runtime, "classifier", 1, 1);

    assertThat(reportedStates("classifier")).as("no failed in between")
        .startsWith("downloading", "retrying", "downloading", "retrying").doesNotContain("failed")
        .endsWith("verifying", "staged", "activating", "active");
    assertThat(server.paths()).hasSize(5);
    assertThat(retries("classifier", "status_5xx")).isEqualTo(2);
    assertThat(retries("classifier", "status_429")).isEqualTo(1);
    assertThat(retries("classifier", "status_408")).isEqualTo(1);
    JsonNode active = reported(runtime, "classifier");
    assertThat(active.has("attempts") || active.has("lastError") || active.has("nextAttemptAt"))
        .as("the retry fields are deleted once the download succeeded").isFalse();
  }

  @ParameterizedTest(name = "{0} fails at once")
  @CsvSource({"404", "403"})
  void aClientErrorFailsTheReleaseAtOnceWithoutRetrying(int status) throws Exception {
    server.fault(new PackageServer.Status(status));
    LocalEdgeRuntime runtime = run(withBackoff(models("classifier", release("classifier", 1,
        packages.linear("classifier", 1, 8)))));
    JsonNode failed = awaitState(runtime, "classifier", "failed", 1);
    assertThat(failed.get("reason").asText()).isEqualTo("download: status " + status
        + " from 127.0.0.1/classifier/1/package.zip, expected 200 (a client error, not retried; a renewed URI is "
        + "tried again)");
    assertThat(server.paths()).hasSize(1);
    assertThat(reportedStates("classifier")).containsExactly("downloading", "failed");
  }

  @Test
  void aModuleStoppedWhileRetryingResumesTheCountAndThePartWhenStartedAgain() throws Exception {
    byte[] v1 = packages.linear("classifier", 1, 256);
    assertThat(v1.length).isGreaterThan(2_000);
    String desired = withBackoff(models("classifier", release("classifier", 1, v1)));
    // A cut at 1000 bytes, then a 503 after which the server goes down (port closed).
    server.fault(new PackageServer.Cut(1_000), new PackageServer.GoDown(503));
    LocalEdgeRuntime first = run(desired);
    await().atMost(WAIT).until(() -> reported(first, "classifier").path("attempts").asLong() >= 4);
    first.close();
    JsonNode saved = JSON.readTree(stateDirectory.resolve("state/classifier.json").toFile());
    long attempts = saved.get("attempts").asLong();
    assertThat(attempts).isGreaterThanOrEqualTo(4);
    assertThat(saved.get("state").asText()).isIn("retrying", "downloading");
    Path part = stateDirectory.resolve("downloads/classifier/1-" + TestPackages.sha256(v1).substring(0, 16)
        + ".part");
    assertThat(part).hasSize(1_000);

    LocalEdgeRuntime second = run(desired);
    await().atMost(WAIT).until(() -> reported(second, "classifier").path("attempts").asLong() >= attempts + 2);
    assertThat(reportedAttempts("classifier")).as("the count continues from the saved one, not from 1")
        .allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(attempts)).contains(attempts + 1, attempts + 2);
    server.up();
    activate(second, "classifier", 1, 1);
    assertThat(server.ranges()).as("the second run resumed the part")
        .containsExactly("", "bytes=1000-", "bytes=1000-");
    assertThat(stateDirectory.resolve("archive/classifier/1.zip")).hasBinaryContent(v1);
    assertThat(reportedStates("classifier")).doesNotContain("failed");
  }

  @Test
  void aNewerReleaseWhileRetryingReplacesItWithoutWaitingOutTheBackoff() throws Exception {
    server.failing("/classifier/1/package.zip", 503);
    ObjectNode desired = (ObjectNode) JSON.readTree(models("classifier", release("classifier", 1,
        packages.linear("classifier", 1, 8))));
    desired.putObject("download").put("initialBackoffMillis", 30_000).put("maxBackoffMillis", 60_000);
    LocalEdgeRuntime runtime = run(desired.toString());
    awaitState(runtime, "classifier", "retrying", 1);

    long start = System.nanoTime();
    patch(runtime, models("classifier", release("classifier", 2, packages.linear("classifier", 2, 8))));
    activate(runtime, "classifier", 2, 1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 15 to 30 s backoff")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(server.paths()).containsExactly("/classifier/1/package.zip", "/classifier/2/package.zip");
    assertThat(reportedStates("classifier")).doesNotContain("failed");
  }

  @Test
  void aReleaseThatAnEarlierVersionFailedAfterItsRetriesIsRetriedAndResumesItsPart() throws Exception {
    byte[] v1 = packages.linear("classifier", 1, 8);
    ObjectNode release = release("classifier", 1, v1);
    Path part = Files.createDirectories(stateDirectory.resolve("downloads/classifier"))
        .resolve("1-" + TestPackages.sha256(v1).substring(0, 16) + ".part");
    Files.write(part, java.util.Arrays.copyOf(v1, 300));
    // A state file as the module wrote it before issue 13: no attempts, no nextAttemptAt, no lastError.
    ObjectNode old = JSON.createObjectNode();
    old.put("model", "classifier").put("state", "failed").put("desiredVersion", 1).putNull("activeVersion")
        .put("since", "2026-12-01T10:00:00Z")
        .put("reason", "download: download failed after 6 attempts (download.retries 5): request failed: "
            + "java.net.ConnectException")
        .put("progressBytes", 300).put("progressTotal", v1.length);
    old.set("release", ModelRelease.fromJson("classifier", release, "models.classifier").toJson());
    old.putNull("requestId");
    old.putArray("servedVersions");
    Files.createDirectories(stateDirectory.resolve("state"));
    Files.writeString(stateDirectory.resolve("state/classifier.json"), old.toString());

    // The twin of that deployment still sets download.retries: ignored, with a warning.
    ObjectNode desired = (ObjectNode) JSON.readTree(withBackoff(models("classifier", release)));
    ((ObjectNode) desired.get("download")).put("retries", 5);
    LocalEdgeRuntime runtime = run(desired.toString());
    activate(runtime, "classifier", 1, 1);
    assertThat(server.ranges()).as("the kept part resumed").containsExactly("bytes=300-");
    JsonNode warnings = runtime.hub().twin("model-update").reported().path("configurationStatus").path("warnings");
    assertThat(warnings.size()).isEqualTo(1);
    assertThat(warnings.get(0).asText()).startsWith("/download/retries: unknown key, ignored");
  }
}
