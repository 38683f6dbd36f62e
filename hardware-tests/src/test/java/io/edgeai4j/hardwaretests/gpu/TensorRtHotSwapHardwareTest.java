package io.edgeai4j.hardwaretests.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.hardwaretests.JetsonHardware;
import io.edgeai4j.hardwaretests.report.Agreement;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.InferenceRequest;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ServingConfig;
import io.edgeai4j.inference.serving.VersionPolicy;
import io.edgeai4j.inference.serving.VersionState;
import io.edgeai4j.inference.serving.VersionStatus;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap under load on TensorRT: the model server on the backend named {@code tensorrt}, found with
 * {@link java.util.ServiceLoader} ({@code Backends.select("tensorrt", Backends.probeAll())}), serves the fault
 * classifier while 8 clients send requests; version 2 replaces version 1, then version 1 comes back. No request
 * fails, each version answers, and every answer agrees with ONNX Runtime CPU on its row within the FP16 tolerance of
 * {@link TensorRtEnginesHardwareTest} (whatever precision the backend builds at). This module compiles against
 * {@code inference-api} and {@code model-serving} only: the backend module ({@code edgeai4j-inference-tensorrt}) is a
 * runtime dependency; without it this test fails naming the backends it found.
 */
@JetsonHardware
public class TensorRtHotSwapHardwareTest {
  static final int CLIENTS = 8;
  static final double TOLERANCE = 2e-2;
  /** Engine builds happen inside {@code apply}; an answer from a version comes within this. */
  static final Duration ANSWERS_WITHIN = Duration.ofMinutes(2);

  @TempDir Path root;

  @Test
  void noRequestFailsWhileVersionsSwapOneTwoAndBackToOne() throws Exception {
    BundledModel m = BundledModel.FAULT_CLASSIFIER;
    Path bundled = m.file().getParent();
    install(bundled, m, 1);
    BundledModel.Rows rows = m.evaluationRows();
    float[] reference = OnnxRuntimeCpu.run(m.file(), m, rows, BundledModel.MAX_BATCH);

    Backends.Found tensorrt = Backends.select("tensorrt", Backends.probeAll());
    try (InferenceBackend backend = tensorrt.provider().open(BackendOptions.builder()
            .optimizedModelCache(root.resolve("engine-cache")).build());
        ModelServer server = new ModelServer(backend, new PrometheusRegistry(), "hardware-tests")) {
      server.apply(new ServingConfig(root.resolve("repository"), Map.of(m.label, VersionPolicy.latest(1))));
      assertThat(ready(server)).as("versions READY: %s", server.models()).containsExactly(1L);

      AtomicBoolean stop = new AtomicBoolean();
      List<String> failures = new CopyOnWriteArrayList<>();
      AtomicLongArray answeredBy = new AtomicLongArray(3);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        running.add(clients.submit(() -> {
          for (long n = client; !stop.get(); n += CLIENTS) {
            int row = (int) (n % rows.rows());
            Tensor x = Tensor.ofFloats(m.input, m.shape(1), rows.slice(row, 1));
            try {
              InferenceResult r = server.infer(new InferenceRequest(m.label, null, Map.of(m.input, x), null))
                  .get(30, TimeUnit.SECONDS);
              float[] y = r.outputs().values().iterator().next().toFloats();
              float[] expected = java.util.Arrays.copyOfRange(reference, row * m.classes, (row + 1) * m.classes);
              Agreement a = Agreement.compare(expected, y, m.classes, TOLERANCE);
              if (!a.withinTolerance()) {
                failures.add("version " + r.version() + " row " + row + ": max |diff| " + a.maxAbsError());
              }
              answeredBy.incrementAndGet((int) r.version());
            } catch (Exception e) {
              failures.add("row " + row + ": " + e);
            }
          }
        }));
      }
      try {
        awaitAnswers(answeredBy, 1);
        install(bundled, m, 2);
        server.apply(new ServingConfig(root.resolve("repository"), Map.of(m.label, VersionPolicy.latest(1))));
        assertThat(ready(server)).as("versions READY: %s", server.models()).containsExactly(2L);
        awaitAnswers(answeredBy, 2);
        server.apply(new ServingConfig(root.resolve("repository"),
            Map.of(m.label, VersionPolicy.specific(List.of(1L)))));
        assertThat(ready(server)).as("versions READY: %s", server.models()).containsExactly(1L);
        awaitAnswers(answeredBy, 1);
      } finally {
        stop.set(true);
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
      }
      System.out.printf("hot swap on %s: %d answers from version 1, %d from version 2, %d failures%n",
          tensorrt.provider().name(), answeredBy.get(1), answeredBy.get(2), failures.size());
      assertThat(failures).as("failed or wrong answers").isEmpty();
    }
  }

  /** Copies the bundled version directory ({@code model.onnx}, {@code model.json}, ...) to
   * {@code repository/<model>/<version>}. */
  private void install(Path bundled, BundledModel m, long version) throws Exception {
    Path to = root.resolve("repository").resolve(m.label).resolve(Long.toString(version));
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(bundled)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static List<Long> ready(ModelServer server) {
    return server.models().get(0).versions().stream().filter(v -> v.state() == VersionState.READY)
        .map(VersionStatus::version).toList();
  }

  private static void awaitAnswers(AtomicLongArray answeredBy, int version) {
    long before = answeredBy.get(version);
    await().atMost(ANSWERS_WITHIN).until(() -> answeredBy.get(version) > before + 100);
  }
}
