package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.edgeai4j.inference.serving.FailureKind;
import io.edgeai4j.inference.serving.InferenceFailure;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler against a model server whose answers the test controls. */
class RequestHandlerTest {
  private static final String REQUEST = """
      {"model": "m", "correlationId": "%s", "inputs": {"x": {"shape": [1, 1], "data": [1]}}}""";

  private final ModelServer server = mock(ModelServer.class);
  private final List<EdgeMessage> sent = new CopyOnWriteArrayList<>();
  private final ResultSender sender = new ResultSender((output, message) -> sent.add(message), "test", 1);

  @AfterEach
  void close() {
    sender.close();
  }

  private RequestHandler handler(int maxInFlight) {
    return new RequestHandler(server, sender, (output, message) -> sent.add(message),
        new RequestHandler.Settings(new TensorCodec(Optional.empty()), Map.of(), Map.of(), maxInFlight),
        new ActivationForwarder(ActivationMetrics.forRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry()), "test"));
  }

  private static EdgeMessage message(String correlationId) {
    return EdgeMessage.json(REQUEST.formatted(correlationId));
  }

  private EdgeMessage answer(String correlationId) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> sent.stream()
        .filter(m -> m.correlationId().orElse("").equals(correlationId)).findFirst(), Optional::isPresent).get();
  }

  @Test
  void overMaxInFlightARequestIsAnsweredQueueFullAtOnceAndAnAnswerFreesItsPlace() throws Exception {
    CompletableFuture<InferenceResult> pending = new CompletableFuture<>();
    when(server.infer(any())).thenReturn(pending);
    RequestHandler handler = handler(2);
    handler.onInfer(message("a"));
    handler.onInfer(message("b"));
    handler.onInfer(message("c"));
    EdgeMessage full = answer("c");
    assertThat(full.bodyAsJson().at("/error/kind").asText()).isEqualTo("queue_full");
    assertThat(full.bodyAsJson().at("/error/message").asText()).contains("2 requests are in flight");
    assertThat(handler.inFlight()).isEqualTo(2);
    MethodResponse method = handler.invokeInfer(new MethodRequest("infer",
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(REQUEST.formatted("d"))));
    assertThat(method.status()).isEqualTo(429);

    pending.completeExceptionally(new InferenceFailure(FailureKind.TIMEOUT, "waited 2000 ms", null));
    assertThat(answer("a").bodyAsJson().at("/error/kind").asText()).isEqualTo("timeout");
    assertThat(answer("b").properties()).containsEntry("errorKind", "timeout");
    assertThat(handler.awaitIdle(Duration.ofSeconds(20))).isTrue();
    handler.onInfer(message("e"));
    assertThat(answer("e").bodyAsJson().at("/error/kind").asText()).isEqualTo("timeout");
  }

  @Test
  void aResultTheHubRefusesForNowIsSentAgainUntilItIsTaken() throws Exception {
    AtomicInteger refusals = new AtomicInteger();
    ResultSender flaky = new ResultSender((output, message) -> {
      if (refusals.incrementAndGet() <= 3) {
        throw new TransportException("edgeHub is reconnecting", true, null);
      }
      sent.add(message);
    }, "test", 1);
    try {
      when(server.infer(any())).thenReturn(CompletableFuture.failedFuture(
          new InferenceFailure(FailureKind.MODEL_FAILED, "the backend failed", null)));
      RequestHandler handler = new RequestHandler(server, flaky, (output, message) -> sent.add(message),
          new RequestHandler.Settings(new TensorCodec(Optional.empty()), Map.of(), Map.of(), 4),
          new ActivationForwarder(ActivationMetrics.forRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry()), "test"));
      handler.onInfer(message("r"));
      assertThat(answer("r").bodyAsJson().at("/error/kind").asText()).isEqualTo("model_failed");
      assertThat(refusals.get()).isEqualTo(4);
      assertThat(handler.awaitIdle(Duration.ofSeconds(20))).isTrue();
      assertThat(flaky.lost()).isZero();
    } finally {
      flaky.close();
    }
  }

  @Test
  void aRequestCompletingAfterTheResultThreadsClosedIsStillAnswered() throws Exception {
    CompletableFuture<InferenceResult> pending = new CompletableFuture<>();
    when(server.infer(any())).thenReturn(pending);
    RequestHandler handler = handler(4);
    handler.onInfer(message("late"));
    sender.close();
    pending.completeExceptionally(new InferenceFailure(FailureKind.SHUTTING_DOWN, "the server is closing", null));
    assertThat(answer("late").bodyAsJson().at("/error/kind").asText()).isEqualTo("shutting_down");
    assertThat(handler.inFlight()).isZero();
  }

  @Test
  void aRetryableRefusalOfAnImmediateAnswerPropagatesSoTheHubOffersTheInputAgain() {
    RequestHandler handler = new RequestHandler(server, sender, (output, message) -> {
      throw new TransportException("edgeHub is reconnecting", true, null);
    }, new RequestHandler.Settings(new TensorCodec(Optional.empty()), Map.of(), Map.of(), 4),
          new ActivationForwarder(ActivationMetrics.forRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry()), "test"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.onInfer(EdgeMessage.json("{\"model\": 1}")))
        .isInstanceOf(TransportException.class);
  }
}
