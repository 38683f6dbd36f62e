package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.Sha256;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.ManifestParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's end-to-end path, on the shipped {@code deployment-manifests/model-updates.json} under the local runtime
 * that {@code edge run} is: {@code edge model keygen} makes a key pair whose public key goes into the module's twin,
 * {@code edge model publish --signing-key --dry-run} makes the signed release and the twin patch, {@code edge
 * twin patch} gives it to the model-update module, which downloads the package from a real HTTP server on loopback,
 * verifies, stages and asks the real inference module (over the manifest's routes) to activate it; {@code edge
 * method invoke inference infer} then answers from the new version (its download cut half-way and resumed). A release
 * whose download is corrupted ends {@code failed}, one whose golden samples the model does not meet is refused by the inference
 * module and ends {@code rolledBack}; in both cases the version before it keeps serving.
 */
class ModelUpdateRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "fault-classifier";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Path keys;

  private HttpServer packages;
  private final List<String> requested = new CopyOnWriteArrayList<>();
  /** Whether the next response is cut after half its body (then the connection is closed). */
  private final java.util.concurrent.atomic.AtomicBoolean cutNext = new java.util.concurrent.atomic.AtomicBoolean();
  private LocalEdgeRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (packages != null) {
      packages.stop(0);
    }
  }

  @Test
  void aPublishedReleaseServesThroughTheTwinAndOneFailingItsGoldenCheckLeavesThePreviousServing() throws Exception {
    Path repository = dir.resolve("repository");
    Path state = dir.resolve("state");
    Path sources = dir.resolve("sources");
    Path served = dir.resolve("served");
    keys = dir.resolve("keys");
    Files.createDirectories(served);
    // Version 1 is on the device from the start: y = 2x. Version 2: y = 3x, with golden samples that say so.
    // Version 3: y = 4x, with golden samples that expect 5x, so the inference module must refuse it.
    version(repository.resolve(MODEL).resolve("1"), 2f, null);
    Path v2 = version(sources.resolve("2"), 3f, 3f);
    Path v3 = version(sources.resolve("3"), 4f, 5f);
    startPackageServer(served);
    ModelPackage.write(served.resolve("v2.zip"), v2.resolve("model.onnx"), v2.resolve("model.json"),
        v2.resolve("golden.json"));
    ModelPackage.write(served.resolve("v3.zip"), v3.resolve("model.onnx"), v3.resolve("model.json"),
        v3.resolve("golden.json"));

    String manifest = Files.readString(Path.of("../../deployment-manifests/model-updates.json"))
        .replace("target/model-updates/repository", repository.toString())
        .replace("target/model-updates/state", state.toString());
    runtime = LocalEdgeRuntime.start(ManifestParser.parse(manifest), RuntimeOptions.builder()
        .upstreamFile(dir.resolve("upstream.jsonl")).console(null).adminPort(0).metricsAddress(null)
        .drainTimeout(Duration.ofSeconds(5)).build());
    String admin = Integer.toString(runtime.adminPort());
    await().atMost(WAIT).until(() -> infer(admin).at("/version").asLong() == 1);
    assertThat(infer(admin).at("/outputs/y/data/0").asDouble()).isEqualTo(2.0);

    // Releases must be signed: a key pair from edge model keygen, its public key given to the module's twin.
    CliRun keygen = CliRun.of("model", "keygen", "--algorithm", "ed25519", "--out", keys.toString());
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    String keyPatch = JSON.createObjectNode()
        .put("publicKey", Files.readString(keys.resolve("signing-key.pub.pem"))).toString();
    assertThat(CliRun.of("twin", "patch", "model-update", keyPatch, "--admin-port", admin).exitCode()).isZero();
    await().atMost(WAIT).until(() -> twin(admin).at("/properties/reported/signatures/key").asText().equals("twin"));

    // Version 2: published (dry run: the patch is printed), patched into the twin, downloaded (the first response
    // is cut half-way: the download resumes with a range request), verified, staged, activated.
    CliRun patch2 = publish(v2, 2, "v2.zip");
    cutNext.set(true);
    CliRun applied = CliRun.of("twin", "patch", "model-update", patch2.out(), "--admin-port", admin);
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    await().atMost(WAIT).until(() -> reported(admin).path("state").asText().equals("active"));
    JsonNode active = reported(admin);
    assertThat(active.path("activeVersion").asLong()).isEqualTo(2);
    assertThat(active.path("desiredVersion").asLong()).isEqualTo(2);
    JsonNode answer = infer(admin);
    assertThat(answer.at("/version").asLong()).isEqualTo(2);
    assertThat(answer.at("/outputs/y/data/0").asDouble()).isEqualTo(3.0);
    long half = Files.size(served.resolve("v2.zip")) / 2;
    assertThat(requested).containsExactly("/v2.zip", "/v2.zip bytes=" + half + "-");

    // A signed release whose download is corrupted (one byte flipped on the server): its sha256 is not the one
    // signed; failed before the inference module sees it, 2 keeps serving.
    byte[] corrupt = Files.readAllBytes(served.resolve("v3.zip"));
    corrupt[corrupt.length / 2] ^= 1;
    Files.write(served.resolve("v3-corrupt.zip"), corrupt);
    String corrupted = publish(v3, 3, "v3-corrupt.zip").out();
    assertThat(CliRun.of("twin", "patch", "model-update", corrupted, "--admin-port", admin).exitCode()).isZero();
    await().atMost(WAIT).until(() -> reported(admin).path("desiredVersion").asLong() == 3
        && reported(admin).path("state").asText().equals("failed"));
    assertThat(reported(admin).path("reason").asText())
        .startsWith("sha256 of the downloaded package is " + Sha256.of(corrupt));
    assertThat(infer(admin).at("/version").asLong()).isEqualTo(2);

    // The right release of version 3 (its URI renewed) fails its golden check in the inference module: rolled back, 2 serves.
    CliRun patch3 = publish(v3, 3, "v3.zip");
    assertThat(CliRun.of("twin", "patch", "model-update", patch3.out(), "--admin-port", admin).exitCode()).isZero();
    await().atMost(WAIT).until(() -> reported(admin).path("state").asText().equals("rolledBack"));
    JsonNode refused = reported(admin);
    assertThat(refused.path("reason").asText()).contains("golden check failed").endsWith("version 2 serves");
    assertThat(refused.path("activeVersion").asLong()).isEqualTo(2);
    JsonNode still = infer(admin);
    assertThat(still.at("/version").asLong()).isEqualTo(2);
    assertThat(still.at("/outputs/y/data/0").asDouble()).isEqualTo(3.0);
    assertThat(Files.exists(repository.resolve(MODEL).resolve("3"))).as("a refused version leaves the repository")
        .isFalse();
  }

  /** {@code edge model publish --dry-run} for a version directory served at {@code file}; its output is the patch. */
  private CliRun publish(Path versionDir, long version, String file) {
    String url = "http://127.0.0.1:" + packages.getAddress().getPort() + "/" + file;
    CliRun dryRun = CliRun.of("model", "publish", "--model-dir", versionDir.toString(), "--name", MODEL,
        "--version", Long.toString(version), "--url", url, "--device", "local", "--dry-run",
        "--signing-key", keys.resolve("signing-key.pem").toString());
    assertThat(dryRun.exitCode()).as(dryRun.err() + dryRun.out()).isZero();
    String out = dryRun.out();
    String patch = out.substring(out.indexOf('{', out.indexOf("would patch:")));
    return new CliRun(0, patch, dryRun.err());
  }

  private static JsonNode reported(String admin) throws IOException {
    return twin(admin).at("/properties/reported/models/" + MODEL);
  }

  private static JsonNode twin(String admin) throws IOException {
    return JSON.readTree(CliRun.of("twin", "get", "model-update", "--admin-port", admin).out());
  }

  /** The inference module's {@code infer} method on x = [1, 1, 1, 1]: the result document. */
  private static JsonNode infer(String admin) throws IOException {
    CliRun call = CliRun.of("method", "invoke", "inference", "infer", """
        {"model": "fault-classifier", "inputs": {"x": {"shape": [1, 4], "data": [1, 1, 1, 1]}}}""",
        "--admin-port", admin);
    JsonNode response = JSON.readTree(call.out());
    return response.path("status").asInt() == 200 ? response.path("payload") : JSON.createObjectNode();
  }

  /** A version directory: {@code y = scale * x}, 4 wide; golden samples expecting {@code goldenScale * x}. */
  private static Path version(Path versionDir, float scale, Float goldenScale) throws IOException {
    OnnxTestModels.scale(versionDir.resolve("model.onnx"), 4, scale);
    Files.writeString(versionDir.resolve("model.json"), """
        {"name": "fault-classifier",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 4]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 4]}]}""");
    if (goldenScale != null) {
      Files.writeString(versionDir.resolve("golden.json"), """
          {"tolerance": {"absolute": 1e-4, "relative": 1e-3},
           "samples": [{"inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3, 4]}},
                        "outputs": {"y": {"shape": [1, 4], "data": [%s, %s, %s, %s]}}}]}"""
          .formatted(goldenScale, 2 * goldenScale, 3 * goldenScale, 4 * goldenScale));
    }
    return versionDir;
  }

  /** A loopback HTTP server of the files in {@code root}, honouring {@code Range: bytes=N-}. */
  private void startPackageServer(Path root) throws IOException {
    packages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    packages.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requested.add(range == null ? path : path + " " + range);
        Path file = root.resolve(path.substring(1));
        if (!Files.isRegularFile(file)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] bytes = Files.readAllBytes(file);
        int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
        if (range != null) {
          exchange.getResponseHeaders().add("Content-Range",
              "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        exchange.sendResponseHeaders(range == null ? 200 : 206, bytes.length - from);
        try (OutputStream body = exchange.getResponseBody()) {
          if (cutNext.getAndSet(false)) {
            body.write(bytes, from, (bytes.length - from) / 2);
            body.flush();
            throw new IOException("cut by the test after " + (bytes.length - from) / 2 + " bytes");
          }
          body.write(bytes, from, bytes.length - from);
        }
      }
    });
    packages.start();
  }
}
