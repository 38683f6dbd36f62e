package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.FailureKind;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.module.EdgeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The inference module's path for one {@code infer} message, without the transport, for the overhead benchmark:
 * parse the body ({@link JsonBodies#parse}, as {@link RequestHandler} does), decode the request and its tensors ({@link InferMessage},
 * {@link TensorCodec}), run it on the {@link ModelServer} (on the calling thread when batching is off and an instance is
 * free, else through the queue and the batcher worker), write the result document
 * ({@link Results#ok}) and its {@code results} message ({@link Results#message}), and check edgeHub's size limit, as
 * {@link RequestHandler} does. The caller's thread waits for the result, where the module hands the completion to its
 * result sender's threads.
 *
 * <p>The public entry point to the module's own message path for the inference overhead benchmark
 * ({@code benchmarks/}): the classes it calls are the module's internals and stay package-private, so the figure
 * is the module's code, nothing re-implemented. Models without {@code labels} only (no predictions are computed).
 * Does not own the server. Thread-safe.
 */
public final class InferPath {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ModelServer server;
  private final TensorCodec codec = new TensorCodec(Optional.empty());
  private final Duration wait;

  /**
   * Creates the path.
   *
   * @param server Runs the requests; the caller owns it.
   * @param wait The longest {@link #handle} waits for a result before it answers {@code timeout}.
   */
  public InferPath(ModelServer server, Duration wait) {
    this.server = Objects.requireNonNull(server, "server");
    this.wait = Objects.requireNonNull(wait, "wait");
  }

  /**
   * An {@code infer} message asking for one tensor in the compact encoding (base64 of little-endian values) and the
   * result in the same encoding.
   */
  public static EdgeMessage request(String model, String correlationId, Tensor input) {
    ObjectNode body = NODES.objectNode();
    body.put("model", model);
    body.put("correlationId", correlationId);
    body.putObject("inputs").set(input.name(), TensorCodec.encode(input, TensorEncoding.BASE64));
    body.put("outputEncoding", TensorEncoding.BASE64.spelling());
    return EdgeMessage.builder().jsonBody(body.toString()).correlationId(correlationId).build();
  }

  /**
   * Handles one message on input {@code infer} and returns the message the module would send on output
   * {@code results}: a result ({@code status} property {@code ok}) or an error document ({@code status}
   * {@code error}, {@code errorKind}), never an exception.
   */
  public EdgeMessage handle(EdgeMessage message) throws InterruptedException {
    String fallback = message.correlationId().or(message::messageId).orElse(null);
    JsonNode body;
    try {
      body = JsonBodies.parse(message);
    } catch (IllegalStateException e) {
      return error(message, Failure.badRequest(e.getMessage()), new InferMessage.RequestIds(fallback, null, null));
    }
    InferMessage request;
    try {
      request = InferMessage.decode(body, fallback, codec);
    } catch (BadRequestException e) {
      return error(message, Failure.badRequest(e.getMessage()), InferMessage.ids(body, fallback));
    }
    InferMessage.RequestIds ids = new InferMessage.RequestIds(request.correlationId(), request.model(),
        request.version());
    InferenceResult result;
    try {
      result = server.infer(request.request()).get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      return error(message, Failure.from(e), ids);
    } catch (TimeoutException e) {
      return error(message, Failure.of(FailureKind.TIMEOUT, "no result within " + wait.toMillis() + " ms"), ids);
    }
    return answer(message, request, result);
  }

  /**
   * The JSON work of {@link #handle} alone: decodes the message as it does, then writes the answer from a result
   * computed earlier (for the same model) instead of running the model.
   *
   * @throws IllegalArgumentException If the message does not decode, with the decoder's message.
   */
  public EdgeMessage codecOnly(EdgeMessage message, InferenceResult earlier) {
    InferMessage request;
    try {
      request = InferMessage.decode(JsonBodies.parse(message), message.correlationId().orElse(null), codec);
    } catch (BadRequestException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return answer(message, request, earlier);
  }

  private static EdgeMessage answer(EdgeMessage message, InferMessage request, InferenceResult result) {
    InferMessage.RequestIds ids = new InferMessage.RequestIds(request.correlationId(), request.model(),
        request.version());
    ObjectNode answer = Results.ok(result, request.correlationId(), request.outputEncoding(), List.of());
    EdgeMessage out = Results.message(answer, message.properties(), ids.correlationId());
    if (out.sizeInBytes() > EdgeMessage.MAX_SIZE_BYTES) {
      return error(message, new Failure(Failure.RESULT_TOO_LARGE, "the result is " + out.sizeInBytes()
          + " bytes, over edgeHub's limit of " + EdgeMessage.MAX_SIZE_BYTES + " bytes"), ids);
    }
    return out;
  }

  private static EdgeMessage error(EdgeMessage input, Failure failure, InferMessage.RequestIds ids) {
    return Results.message(Results.error(failure, ids), input.properties(), ids.correlationId());
  }
}
