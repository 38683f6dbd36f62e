package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.failure;
import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden checks through the server: {@code y = x * scale} models, 3 wide, with a {@code golden.json} beside them. */
class GoldenCheckTest extends ServerTestBase {
  private static final int WIDTH = 3;
  private static final String FAST = "{\"maxQueueDelayMicros\": 0}";

  /** A golden.json of two samples for {@code y = 2x}: JSON numbers, then base64. */
  private static final String PASSING = """
      {"tolerance": {"absolute": 1e-4, "relative": 1e-3},
       "samples": [
         {"inputs": {"x": {"shape": [1, 3], "data": [1, 2, 3]}},
          "outputs": {"y": {"shape": [1, 3], "data": [2.0001, 4, 6.006]}}},
         {"inputs": {"x": {"type": "float32", "shape": [2, 3], "base64": "%s"}},
          "outputs": {"y": {"shape": [2, 3], "data": [[1, 0, -2], [8, 0.5, 0]]}}}]}
      """.formatted(littleEndian(0.5f, 0f, -1f, 4f, 0.25f, 0f));

  private static String littleEndian(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  private Path version(long v, float scale, String golden) throws Exception {
    Path dir = f.repo.scale("m", v, WIDTH, scale, FAST, 1);
    if (golden != null) {
      Files.writeString(dir.resolve("golden.json"), golden);
    }
    return dir;
  }

  private static List<Long> versions(String list) {
    return list == null ? List.of() : java.util.Arrays.stream(list.split(" ")).map(Long::parseLong).toList();
  }

  private VersionStatus status(long version) {
    return f.server.models().get(0).versions().stream().filter(v -> v.version() == version).findFirst()
        .orElseThrow();
  }

  @Test
  void aVersionThatGivesItsGoldenOutputsWithinTheToleranceServesAndSaysSo() throws Exception {
    version(1, 2f, PASSING);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    assertThat(status(1).state()).as(status(1).detail()).isEqualTo(VersionState.READY);
    assertThat(status(1).detail()).isEqualTo("serving; golden check passed (2 samples)");
    assertThat(f.server.infer(request("m", null, 1, WIDTH, 1)).get().version()).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_golden_checks", "model", "m", "version", "1", "outcome", "passed"))
        .isEqualTo(1);
    // 1 warm-up run and 2 golden runs before the request.
    assertThat(f.backend.loaded.get(0).runs.get()).isEqualTo(1 + 2 + 1);
  }

  @Test
  void aVersionWithoutGoldenJsonServesWithNoCheck() throws Exception {
    version(1, 2f, null);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    assertThat(status(1).detail()).isEqualTo("serving; no golden.json, no golden check");
    assertThat(f.metric("edgeai4j_inference_golden_checks", "model", "m")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      value beyond the tolerance | failed  | {"samples": [{"inputs": {"x": {"shape": [1, 3], "data": [1, 2, 3]}}, "outputs": {"y": {"shape": [1, 3], "data": [2, 4, 6]}}}, {"inputs": {"x": {"shape": [1, 3], "data": [1, 2, 3]}}, "outputs": {"y": {"shape": [1, 3], "data": [2, 4, 6.5]}}}]} | golden.json: golden check failed: golden sample 1, output 'y'[2]: 6.0, expected 6.5 ± 0.0066
      missing output             | failed  | {"samples": [{"inputs": {"x": {"shape": [1, 3], "data": [1, 2, 3]}}, "outputs": {"z": {"shape": [1, 3], "data": [2, 4, 6]}}}]} | golden sample 0, output 'z': the model gave no such output (its outputs: [y])
      wrong shape                | failed  | {"samples": [{"inputs": {"x": {"shape": [1, 3], "data": [1, 2, 3]}}, "outputs": {"y": {"shape": [3], "data": [2, 4, 6]}}}]} | golden sample 0, output 'y': shape [1, 3], expected [3]
      wrong type                 | failed  | {"samples": [{"inputs": {"x": {"shape": [1, 3], "data": [1, 2, 3]}}, "outputs": {"y": {"type": "int32", "shape": [1, 3], "data": [2, 4, 6]}}}]} | golden sample 0, output 'y': type float32, expected int32
      input the model lacks      | failed  | {"samples": [{"inputs": {"q": {"shape": [1, 3], "data": [1, 2, 3]}}, "outputs": {"y": {"shape": [1, 3], "data": [2, 4, 6]}}}]} | golden sample 0: unknown input 'q'
      input of the wrong shape   | failed  | {"samples": [{"inputs": {"x": {"shape": [1, 2], "data": [1, 2]}}, "outputs": {"y": {"shape": [1, 3], "data": [2, 4, 6]}}}]} | golden sample 0: input 'x'
      not JSON                   | invalid | {"samples": [ | golden.json: not JSON
      data that does not fill    | invalid | {"samples": [{"inputs": {"x": {"shape": [1, 3], "data": [1, 2]}}, "outputs": {"y": {"shape": [1, 3], "data": [2, 4, 6]}}}]} | golden.json: samples[0].inputs.x.data: holds 2 values, the shape holds 3
      bad base64                 | invalid | {"samples": [{"inputs": {"x": {"shape": [1, 3], "base64": "@@"}}, "outputs": {"y": {"shape": [1, 3], "data": [2, 4, 6]}}}]} | golden.json: samples[0].inputs.x.base64: is not base64
      a file reference           | invalid | {"samples": [{"inputs": {"x": {"shape": [1, 3], "file": "/etc/passwd"}}, "outputs": {"y": {"shape": [1, 3], "data": [2, 4, 6]}}}]} | golden.json: samples[0].inputs.x.file: tensors by file reference are not accepted here
      no samples                 | invalid | {"samples": []} | golden.json: samples: must be an array of at least one sample
      unknown field              | invalid | {"tolerance": {"absolute": 1e-4, "relativ": 1e-3}, "samples": []} | golden.json: tolerance.relativ: unknown field
      negative tolerance         | invalid | {"tolerance": {"absolute": -1}, "samples": []} | golden.json: tolerance.absolute: must be a number 0 or more, found number -1
      """)
  void aVersionThatFailsItsGoldenCheckNeverServesAndTheReasonSaysWhere(String kind, String outcome, String golden,
      String reason) throws Exception {
    Path dir = version(1, 2f, golden);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    VersionStatus v = status(1);
    assertThat(v.state()).isEqualTo(VersionState.FAILED);
    assertThat(v.detail()).startsWith(dir.resolve("golden.json").toString()).contains(reason);
    assertThat(failure(f.server.infer(request("m", null, 1, WIDTH, 1))).kind()).isEqualTo(FailureKind.NOT_READY);
    assertThat(f.metric("edgeai4j_inference_golden_checks", "model", "m", "version", "1", "outcome", outcome))
        .isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "1", "state", "failed"))
        .isEqualTo(1);
    // A golden.json that does not parse is refused before the model is loaded; a failed check closes the model.
    assertThat(f.backend.loaded).allSatisfy(m -> assertThat(m.closes.get()).isEqualTo(1));
    assertThat(f.backend.loaded).hasSize(outcome.equals("invalid") ? 0 : 1);
  }

  @Test
  void aVersionFailingItsGoldenCheckNeverTakesARequestWhileTheOldOneAnswersEveryone() throws Exception {
    version(1, 1f, null);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<Integer>> counts = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      counts.add(clients.submit(() -> {
        int n = 0;
        while (running.get()) {
          try {
            InferenceResult r = f.server.infer(request("m", null, 1, WIDTH, n)).get(20, TimeUnit.SECONDS);
            if (r.version() != 1 || r.outputs().get("y").toFloats()[0] != n) {
              wrong.add("version " + r.version() + " gave " + r.outputs().get("y").toFloats()[0] + " for " + n);
            }
          } catch (Exception e) {
            wrong.add(e.toString());
          }
          n++;
        }
        return n;
      }));
    }
    try {
      // Version 2 is y = 3x, but its golden.json says y = 2x: it must fail and never answer.
      version(2, 3f, PASSING);
      f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
      await().atMost(Duration.ofSeconds(20)).until(() -> f.metric("edgeai4j_inference_requests", "model", "m",
          "version", "1", "outcome", "success") > 200);
    } finally {
      running.set(false);
      clients.shutdown();
    }
    int total = 0;
    for (Future<Integer> count : counts) {
      total += count.get(20, TimeUnit.SECONDS);
    }
    assertThat(wrong).isEmpty();
    assertThat(total).isGreaterThan(200);
    assertThat(f.server.models().get(0).versions()).extracting(VersionStatus::version, VersionStatus::state)
        .containsExactly(tuple(1L, VersionState.READY), tuple(2L, VersionState.FAILED));
    assertThat(status(2).detail()).contains("golden sample 0, output 'y'[0]: 3.0, expected 2.0001 ± ");
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "version", "2")).isZero();
  }

  @ParameterizedTest(name = "latest {0} of versions 1-3, [{1}] failing golden: serves [{2}], FAILED [{3}]")
  @CsvSource(delimiter = '|', textBlock = """
      1 | 3     | 2   | 3
      1 | 2 3   | 1   | 2 3
      2 | 2 3   | 1   | 2 3
      2 | 3     | 2   | 3
      1 | 1 2 3 |     | 1 2 3
      1 | 1     | 3   |
      """)
  void atStartAModelWhosePickedVersionsAllFailServesTheNewestOlderVersionsThatPass(int latest, String failing,
      String serving, String failed) throws Exception {
    List<Long> bad = versions(failing);
    for (long v = 1; v <= 3; v++) {
      version(v, v, bad.contains(v) ? PASSING.replace("2.0001", "7") : null);
    }
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(latest))));
    List<Long> expected = versions(serving);
    assertThat(f.server.models().get(0).versions()).filteredOn(v -> v.state() == VersionState.READY)
        .extracting(VersionStatus::version).containsExactlyElementsOf(expected);
    assertThat(f.server.models().get(0).versions()).filteredOn(v -> v.state() == VersionState.FAILED)
        .allSatisfy(v -> assertThat(v.detail()).contains("golden check failed"))
        .extracting(VersionStatus::version).containsExactlyElementsOf(versions(failed));
    if (!expected.isEmpty()) {
      long newest = expected.get(expected.size() - 1);
      InferenceResult r = f.server.infer(request("m", null, 1, WIDTH, 1)).get();
      assertThat(r.version()).isEqualTo(newest);
      assertThat(r.outputs().get("y").toFloats()).containsExactly(newest, 2f * newest, 3f * newest);
    } else {
      assertThat(failure(f.server.infer(request("m", null, 1, WIDTH, 1))).kind()).isEqualTo(FailureKind.NOT_READY);
    }
  }
}
