package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.onnxruntime.OnnxRuntimeCpuProvider;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ServingConfig;
import io.edgeai4j.inference.serving.VersionPolicy;
import io.edgeai4j.module.EdgeMessage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features messages while versions with different standardisation swap back and forth: every answer must be the
 * row built with the {@code featureInput} of the version that names itself in the answer.
 */
class FeaturesHotSwapTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final double[][] MEAN = {null, {0, 0, 0}, {10, 20, 30}};
  private static final double[][] SCALE = {null, {1, 1, 1}, {2, 4, 8}};

  @TempDir Path dir;

  @Test
  void everyFeaturesAnswerIsTheRowOfTheVersionThatRanItWhileVersionsSwapUnderLoad() throws Exception {
    TestRepository repository = new TestRepository(dir.resolve("models"))
        .standardised("m", 1, MEAN[1], SCALE[1]).standardised("m", 2, MEAN[2], SCALE[2]);
    List<EdgeMessage> sent = new CopyOnWriteArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try (InferenceBackend ort = new OnnxRuntimeCpuProvider().open(BackendOptions.DEFAULT);
        ModelServer server = new ModelServer(ort, new PrometheusRegistry(), "inference");
        ResultSender sender = new ResultSender((output, message) -> sent.add(message), "test", 2)) {
      server.apply(new ServingConfig(repository.root(), Map.of("m", VersionPolicy.specific(List.of(1L)))));
      RequestHandler handler = new RequestHandler(server, sender, (output, message) -> sent.add(message),
          new RequestHandler.Settings(new TensorCodec(Optional.empty()),
              Map.of("s", new FeatureMapping("m", null, 0.0)), Map.of(), 1_000_000), new ActivationForwarder(ActivationMetrics.forRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry()), "test"));
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger sentCount = new AtomicInteger();
      Map<String, double[]> features = new ConcurrentHashMap<>();
      List<Future<Integer>> counts = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        counts.add(clients.submit(() -> {
          int n = 0;
          while (running.get()) {
            String id = client + "-" + n;
            double[] row = {client + 1, n % 97, n % 13 + 0.5};
            features.put(id, row);
            handler.onFeatures(EdgeMessage.builder().jsonBody("""
                {"sensor": "s", "rms": %s, "kurtosis": %s, "bands": {"band0": %s}}""".formatted(row[0], row[1],
                row[2])).correlationId(id).build());
            n++;
            sentCount.incrementAndGet();
            if (n % 64 == 0) {
              // Keep the answers behind by a bounded amount, so swaps meet requests all along.
              await().atMost(WAIT).until(() -> handler.inFlight() < 256);
            }
          }
          return n;
        }));
      }
      try {
        for (int swap = 0; swap < 60; swap++) {
          // Every swap meets requests: some are sent before it and after it.
          int before = sentCount.get();
          await().atMost(WAIT).until(() -> sentCount.get() >= before + 16);
          long next = swap % 2 == 0 ? 2 : 1;
          server.load("m", VersionPolicy.specific(List.of(next)));
        }
        int last = sentCount.get();
        await().atMost(WAIT).until(() -> sentCount.get() >= last + 16);
      } finally {
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      }
      int total = 0;
      for (Future<Integer> count : counts) {
        total += count.get();
      }
      assertThat(handler.awaitIdle(WAIT)).isTrue();
      int expected = total;
      await().atMost(WAIT).until(() -> sent.size() >= expected);

      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      Set<Long> versions = ConcurrentHashMap.newKeySet();
      for (EdgeMessage answer : sent) {
        JsonNode body = answer.bodyAsJson();
        String id = answer.correlationId().orElseThrow();
        if (!body.path("status").asText().equals("ok")) {
          wrong.add(id + ": " + body);
          continue;
        }
        int version = body.get("version").asInt();
        versions.add((long) version);
        double[] row = features.get(id);
        List<Double> values = new ArrayList<>();
        body.at("/outputs/y/data").forEach(v -> values.add(v.asDouble()));
        for (int i = 0; i < 3; i++) {
          double reference = (row[i] - MEAN[version][i]) / SCALE[version][i];
          if (values.size() != 3 || Math.abs(values.get(i) - reference) > 1e-4) {
            wrong.add(id + " on version " + version + ": expected (x - mean) / scale of version " + version
                + ", got " + body.at("/outputs/y"));
            break;
          }
        }
      }
      assertThat(sent).hasSize(total);
      assertThat(versions).containsExactlyInAnyOrder(1L, 2L);
      assertThat(wrong).as("%d of %d answers", wrong.size(), total).isEmpty();
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aFeaturesMessageLackingAFieldOfTheRoutedVersionOrForAModelWithoutFeatureInputIsABadRequest() throws Exception {
    TestRepository repository = new TestRepository(dir.resolve("models"))
        .standardised("m", 1, MEAN[1], SCALE[1]).scaler("plain", 1, 2f);
    List<EdgeMessage> sent = new CopyOnWriteArrayList<>();
    try (InferenceBackend ort = new OnnxRuntimeCpuProvider().open(BackendOptions.DEFAULT);
        ModelServer server = new ModelServer(ort, new PrometheusRegistry(), "inference");
        ResultSender sender = new ResultSender((output, message) -> sent.add(message), "test", 1)) {
      server.apply(new ServingConfig(repository.root(), Map.of("m", VersionPolicy.latest(1),
          "plain", VersionPolicy.latest(1))));
      RequestHandler handler = new RequestHandler(server, sender, (output, message) -> sent.add(message),
          new RequestHandler.Settings(new TensorCodec(Optional.empty()), Map.of(
              "s", new FeatureMapping("m", null, 0.0), "p", new FeatureMapping("plain", null, 0.0)), Map.of(), 16),
          new ActivationForwarder(ActivationMetrics.forRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry()), "test"));
      handler.onFeatures(EdgeMessage.builder().jsonBody("{\"sensor\": \"s\", \"rms\": 1, \"kurtosis\": 2}")
          .correlationId("no-band").build());
      handler.onFeatures(EdgeMessage.builder().jsonBody("{\"sensor\": \"p\", \"rms\": 1}")
          .correlationId("no-feature-input").build());
      await().atMost(WAIT).until(() -> sent.size() == 2);
      assertThat(handler.awaitIdle(WAIT)).isTrue();
      for (EdgeMessage answer : sent) {
        JsonNode body = answer.bodyAsJson();
        assertThat(body.at("/error/kind").asText()).as(body.toString()).isEqualTo("bad_request");
        String expected = answer.correlationId().orElseThrow().equals("no-band")
            ? "field 'bands.band0' must be a number, found nothing (model 'm' featureInput)"
            : "model 'plain' (features.p.model) has no featureInput in its model.json";
        assertThat(body.at("/error/message").asText()).contains(expected);
      }
    }
  }
}
