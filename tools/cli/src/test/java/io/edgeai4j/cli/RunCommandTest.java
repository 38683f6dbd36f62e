package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.runtime.AdminToken;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs the quickstart manifest with {@code edge run} and drives it with the other commands. */
class RunCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void runServesTwinsMethodsAndMetricsUntilItsDurationEnds() throws Exception {
    // Free ports, so that the build runs beside an 'edge run' or './edge demo' on the default ports.
    int admin = freePort();
    int metrics = freePort();
    Path upstream = dir.resolve("up.jsonl");
    Path manifest = dir.resolve("pipeline.json");
    Files.writeString(manifest, OwnDirectories.forIngestion(
        Files.readString(Path.of("../../deployment-manifests/local-pipeline.json"))
            .replace("\"sendIntervalMillis\": 500", "\"sendIntervalMillis\": 50"), "ingestion", dir));
    CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of("run", manifest.toString(),
        "--duration", "20s", "--quiet", "--admin-port", "" + admin, "--metrics-port", "" + metrics,
        "--upstream-file", upstream.toString()));

    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().failFast("edge run ended early",
        () -> run.isDone()).until(() -> http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body().contains("edgeai4j_module_messages_sent_total{module=\"sensor\""));

    HttpResponse<String> metricsPage = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metricsPage.body()).contains("edgeai4j_module_messages_sent_total{module=\"sensor\"")
        .contains("jvm_memory_used_bytes");
    HttpResponse<String> ready = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"filter\"").contains("\"sensor\"");

    CliRun twin = CliRun.of("twin", "get", "filter", "--admin-port", "" + admin);
    assertThat(twin.exitCode()).isZero();
    assertThat(MAPPER.readTree(twin.out()).at("/properties/desired/threshold").asInt()).isEqualTo(25);

    CliRun patch = CliRun.of("twin", "patch", "filter", "{\"threshold\": 1000}", "--admin-port", "" + admin);
    assertThat(patch.exitCode()).isZero();
    assertThat(MAPPER.readTree(patch.out()).at("/properties/desired/$version").asInt()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      CliRun stats = CliRun.of("method", "invoke", "filter", "stats", "--admin-port", "" + admin);
      JsonNode answer = MAPPER.readTree(stats.out());
      return answer.get("status").asInt() == 200 && answer.at("/payload/threshold").asDouble() == 1000;
    });

    CliRun badPatch = CliRun.of("twin", "patch", "filter", "{oops", "--admin-port", "" + admin);
    assertThat(badPatch.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(badPatch.err()).contains("not JSON");
    CliRun unknown = CliRun.of("twin", "get", "nobody", "--admin-port", "" + admin);
    assertThat(unknown.err()).contains("no module 'nobody'").contains("[bearingAlarm, filter, ingestion, sensor]");

    Path tokenFile = AdminToken.defaultFile(admin);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    CliRun named = CliRun.of("method", "invoke", "filter", "stats", "--admin-port", "" + admin,
        "--admin-token-file", tokenFile.toString());
    assertThat(named.exitCode()).as(named.err()).isZero();
    Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-token\n");
    CliRun refused = CliRun.of("twin", "patch", "filter", "{\"threshold\": 1}", "--admin-port", "" + admin,
        "--admin-token-file", wrong.toString());
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(refused.err()).contains("refused the token from " + wrong).contains("HTTP 401")
        .contains("--admin-token-file");
    CliRun missing = CliRun.of("twin", "get", "filter", "--admin-port", "" + admin,
        "--admin-token-file", dir.resolve("absent.token").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).contains("the --admin-token-file " + dir.resolve("absent.token") + " does not exist");
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + admin + "/twins/filter/desired"))
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"threshold\": 1}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(MAPPER.readTree(anonymous.body()).get("error").asText()).isEqualTo("unauthorized");

    CliRun finished = run.get();
    assertThat(finished.exitCode()).as(finished.err()).isZero();
    assertThat(finished.err()).contains("filter").contains("started").contains("20s elapsed")
        .contains("token in " + tokenFile);
    assertThat(tokenFile).as("removed at stop").doesNotExist();
    assertThat(Files.readAllLines(upstream)).isNotEmpty();
    assertThat(dir.resolve("spill")).as("the ingestion module's own spill buffer").isDirectoryContaining(path -> true);

    CliRun gone = CliRun.of("twin", "get", "filter", "--admin-port", "" + admin);
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(gone.err()).contains("no 'edge run' answers");
  }

  @Test
  void theDefaultPortsAreTheMetricsCollectorsAndTheAdminEndpoints() {
    CliRun help = CliRun.of("run", "--help");
    assertThat(help.exitCode()).isZero();
    // 9600: the port the IoT Edge metrics collector scrapes by convention.
    assertThat(help.out()).containsPattern("--metrics-port=<metricsPort>\\s+Port of /metrics and"
        + " /health/\\{live,ready}\\s+\\(default:\\s+9600;")
        .containsPattern("--admin-port=<adminPort>\\s+Loopback port of the admin endpoint[^(]+\\(default: 15580;");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "--state-dir DIR             | true",
    "--state-dir DIR --no-store  | false",
    "(neither --mqtt nor a dir)  | false"})
  void theHubsQueuesAreOnDiskInTheStateDirectoryUnlessNoStore(String options, boolean onDisk) throws Exception {
    Path state = dir.resolve("state");
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run",
        "../../deployment-manifests/local-pipeline.json", "--duration", "1s", "--quiet", "--admin-port", "0",
        "--metrics-port", "-1", "--upstream-file", dir.resolve("u.jsonl").toString()));
    if (options.startsWith("--state-dir")) {
      args.addAll(java.util.List.of("--state-dir", state.toString()));
    }
    if (options.contains("--no-store")) {
      args.add("--no-store");
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    if (onDisk) {
      assertThat(run.err()).contains("  store:    " + state.resolve("store") + " (kept across runs)");
      assertThat(state.resolve("store")).isDirectory();
    } else {
      assertThat(run.err()).contains("  store:    in memory (lost at stop)");
      assertThat(state.resolve("store")).doesNotExist();
    }
  }

  @Test
  void runRefusesABadManifestNamingThePath() throws Exception {
    Path manifest = dir.resolve("bad.json");
    Files.writeString(manifest, Files.readString(Path.of("../../deployment-manifests/local-pipeline.json"))
        .replace("\"priority\": 0", "\"priority\": 12"));
    CliRun run = CliRun.of("run", manifest.toString(), "--metrics-port", "-1", "--admin-port", "0");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).contains("/modulesContent/$edgeHub/properties.desired/routes/alertsToCloud/priority:"
        + " $edgeHub schema 1.1: must have a maximum value of 9\n")
        .endsWith("edge run: cannot run " + manifest + ": the manifest is invalid (the problems above)\n");
  }

  @Test
  void aManifestThatIsNotThereExits66AsValidateDoes() {
    Path missing = dir.resolve("absent.json");
    CliRun run = CliRun.of("run", missing.toString(), "--metrics-port", "-1", "--admin-port", "0");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(run.err()).isEqualTo("edge run: cannot run " + missing + ": no such file\n");
    assertThat(CliRun.of("manifest", "validate", missing.toString()).exitCode()).isEqualTo(ExitCodes.NO_INPUT);
  }

  @Test
  void runReportsOtherStartFailuresInOneLine() throws Exception {
    CliRun run = CliRun.of("run", "../../deployment-manifests/local-pipeline.json", "--device-id", " ",
        "--metrics-port", "-1", "--admin-port", "0", "--upstream-file", dir.resolve("u.jsonl").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(run.err()).contains("deviceId must not be blank").doesNotContain("\tat ");
  }

  @Test
  void doctorReportsOnnxRuntimeAndTheModules() {
    CliRun run = CliRun.of("doctor");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("ONNX Runtime: 1.29.0")
        .containsPattern("onnxruntime-cpu +available: ONNX Runtime 1\\.29\\.0")
        .containsPattern("onnxruntime-cuda +unavailable: ")
        .contains("tensorrt")
        .contains("simulated-temperature-sensor")
        .contains("threshold-filter")
        .contains("sensor-ingestion")
        .contains("Sensor source plug-ins")
        .containsPattern("(?m)^  opcua +")
        .containsPattern("(?m)^  modbus +")
        .containsPattern("(?m)^  mqtt +")
        .containsPattern("(?m)^  simulator +")
        .containsPattern("(?m)^  replay +");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
