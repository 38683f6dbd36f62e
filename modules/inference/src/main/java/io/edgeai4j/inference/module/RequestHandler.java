package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.FailureKind;
import io.edgeai4j.inference.serving.InferenceFailure;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.inference.serving.ModelDescriptor;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers {@code infer} and {@code features} messages and the {@code infer} method. An input handler decodes
 * the message, hands the request to the model server and returns at once; the result (or the error) is sent on
 * {@value #RESULTS} from the completion, on the {@link ResultSender}'s threads, so requests of many messages
 * can share a batch and results may leave out of input order (the correlation id ties them). At most
 * {@code maxInFlight} requests are accepted and unanswered; over that a request is answered {@code queue_full}
 * at once. Every request is answered: with a result, or with an error document. Does not own the server or the
 * sender. Thread-safe.
 */
final class RequestHandler {
  /** The output results and errors go to. */
  static final String RESULTS = "results";
  /** The output alerts go to. */
  static final String ALERT = "alert";
  /** How long the {@code infer} method waits for a result (the model's request timeout usually ends it first). */
  static final Duration METHOD_WAIT = Duration.ofSeconds(60);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Failures of a features request that mean no version took it: answered naming the sensor's mapping. */
  private static final Set<String> NOT_ROUTABLE = Set.of(FailureKind.UNKNOWN_MODEL.outcome(),
      FailureKind.UNKNOWN_VERSION.outcome(), FailureKind.NOT_READY.outcome());

  /** What the handler reads from the configuration in force. */
  record Settings(TensorCodec codec, Map<String, FeatureMapping> features, int maxInFlight) {}

  private final ModelServer server;
  private final ResultSender sender;
  private final ResultSender.Output output;
  private final Object idle = new Object();
  private volatile Settings settings;
  // Guarded by idle.
  private int inFlight;

  /**
   * Creates the handler.
   *
   * @param output Sends synchronously on the handler's thread (errors answered at once), so a retryable
   *     failure propagates to the host, which abandons the input.
   */
  RequestHandler(ModelServer server, ResultSender sender, ResultSender.Output output, Settings settings) {
    this.server = server;
    this.sender = sender;
    this.output = output;
    this.settings = settings;
  }

  void configure(Settings newSettings) {
    this.settings = newSettings;
  }

  /** Requests accepted and not yet answered. */
  int inFlight() {
    synchronized (idle) {
      return inFlight;
    }
  }

  /** Waits until every accepted request is answered, or the timeout passes; returns whether none is left. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
      return true;
    }
  }

  /** Handles a message on input {@code infer}. */
  MessageDisposition onInfer(EdgeMessage message) throws TransportException {
    String fallback = message.correlationId().or(message::messageId).orElse(null);
    JsonNode body;
    try {
      body = JsonBodies.parse(message);
    } catch (IllegalStateException e) {
      answerNow(message, Failure.badRequest(e.getMessage()), new InferMessage.RequestIds(fallback, null, null));
      return MessageDisposition.COMPLETE;
    }
    InferMessage.RequestIds ids = InferMessage.ids(body, fallback);
    InferMessage request;
    try {
      request = InferMessage.decode(body, fallback, settings.codec());
    } catch (BadRequestException e) {
      answerNow(message, Failure.badRequest(e.getMessage()), ids);
      return MessageDisposition.COMPLETE;
    } catch (RuntimeException e) {
      answerNow(message, undecodable(e), ids);
      return MessageDisposition.COMPLETE;
    }
    submit(request, message, null);
    return MessageDisposition.COMPLETE;
  }

  /** Handles a message on input {@code features}: the sensor's mapped model classifies it. */
  MessageDisposition onFeatures(EdgeMessage message) throws TransportException {
    String correlationId = message.correlationId().or(message::messageId).orElse(null);
    JsonNode body;
    try {
      body = JsonBodies.parse(message);
    } catch (IllegalStateException e) {
      answerNow(message, Failure.badRequest(e.getMessage()), new InferMessage.RequestIds(correlationId, null, null));
      return MessageDisposition.COMPLETE;
    }
    String sensor = message.property("sensor").orElseGet(() -> body.path("sensor").asText(null));
    Map<String, FeatureMapping> features = settings.features();
    FeatureMapping mapping = sensor == null ? null : features.get(sensor);
    if (mapping == null) {
      answerNow(message, Failure.badRequest("features message of sensor " + (sensor == null ? "(none: no 'sensor'"
          + " property or field)" : "'" + sensor + "'") + ": no model is mapped to it; mapped sensors (twin"
          + " features.<sensor>.model): " + features.keySet()), new InferMessage.RequestIds(correlationId, null, null));
      return MessageDisposition.COMPLETE;
    }
    InferMessage.RequestIds ids = new InferMessage.RequestIds(correlationId, mapping.model(), mapping.version());
    if (!acquire()) {
      answerNow(message, queueFull(), ids);
      return MessageDisposition.COMPLETE;
    }
    // The server routes the request, then builds its row with the fields, mean and scale of the version it routes
    // to and runs it there: a hot swap between the two cannot run one version's row on another.
    InferMessage request = new InferMessage(mapping.model(), mapping.version(), correlationId, Map.of(),
        TensorEncoding.JSON);
    FeatureContext feature = new FeatureContext(sensor, body, mapping);
    CompletableFuture<InferenceResult> future;
    try {
      future = server.infer(mapping.model(), mapping.version(), correlationId, d -> featureRow(d, body, mapping,
          sensor));
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenCompleteAsync((result, error) -> complete(request, message, feature, result, error),
        sender.executor());
    return MessageDisposition.COMPLETE;
  }

  /**
   * The input row of a features message for the version described by {@code descriptor}: its {@code featureInput}
   * fields, standardised with its mean and scale.
   *
   * @throws InferenceFailure BAD_INPUT caused by a {@link BadRequestException} (answered {@code bad_request}) when
   *     that version has no {@code featureInput} or the message lacks one of its fields.
   */
  private static Map<String, Tensor> featureRow(ModelDescriptor descriptor, JsonNode body, FeatureMapping mapping,
      String sensor) throws InferenceFailure {
    if (descriptor.featureInput().isEmpty()) {
      throw badRequest("model '" + mapping.model() + "' (features." + sensor + ".model) has no featureInput in its"
          + " model.json, so features messages cannot feed it");
    }
    ModelDescriptor.FeatureInput featureInput = descriptor.featureInput().get();
    try {
      return Map.of(featureInput.input(), featureInput.tensor(body));
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage() + " (model '" + mapping.model() + "' featureInput)");
    }
  }

  private static InferenceFailure badRequest(String message) {
    return new InferenceFailure(FailureKind.BAD_INPUT, message, new BadRequestException("", message));
  }

  /** Why a features request has no version to go to: the model or version is not served, or none is READY. */
  private Failure notRoutable(FeatureMapping mapping, String sensor) {
    String setting = "features." + sensor;
    List<ModelStatus> models = server.models();
    ModelStatus model = models.stream().filter(m -> m.name().equals(mapping.model())).findFirst().orElse(null);
    if (model == null) {
      return Failure.of(FailureKind.UNKNOWN_MODEL, "model '" + mapping.model() + "' (" + setting + ".model) is not"
          + " served; served models: " + models.stream().map(ModelStatus::name).toList());
    }
    List<String> versions = model.versions().stream().map(v -> v.version() + " " + v.state().label()).toList();
    if (mapping.version() != null
        && model.versions().stream().noneMatch(v -> v.version() == mapping.version())) {
      return Failure.of(FailureKind.UNKNOWN_VERSION, "model '" + mapping.model() + "' has no version "
          + mapping.version() + " (" + setting + ".version) served; versions: " + versions);
    }
    return Failure.of(FailureKind.NOT_READY, "model '" + mapping.model() + "' (" + setting + ") has no READY version"
        + (mapping.version() == null ? "" : " " + mapping.version()) + " yet; versions: " + versions);
  }

  /** Where a features request came from, for its alert. */
  private record FeatureContext(String sensor, JsonNode features, FeatureMapping mapping) {}

  /** Handles a call of direct method {@code infer}: waits for the result. */
  MethodResponse invokeInfer(MethodRequest call) throws InterruptedException {
    InferMessage.RequestIds ids = InferMessage.ids(call.payload(), null);
    InferMessage request;
    try {
      request = InferMessage.decode(call.payload(), null, settings.codec());
    } catch (BadRequestException e) {
      return failed(Failure.badRequest(e.getMessage()), ids);
    } catch (RuntimeException e) {
      return failed(undecodable(e), ids);
    }
    if (!acquire()) {
      return failed(queueFull(), ids);
    }
    CompletableFuture<InferenceResult> future = infer(request);
    future.whenComplete((result, error) -> release());
    try {
      InferenceResult result = future.get(METHOD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return MethodResponse.ok(resultBody(request, result, null));
    } catch (ExecutionException e) {
      return failed(Failure.from(e), ids);
    } catch (TimeoutException e) {
      return failed(Failure.of(FailureKind.TIMEOUT, "no result within " + METHOD_WAIT.toSeconds() + " s"), ids);
    } catch (RuntimeException e) {
      return failed(Failure.from(e), ids);
    }
  }

  /** A decoding failure nobody foresaw: still a bad request, answered rather than lost. */
  private static Failure undecodable(RuntimeException e) {
    return Failure.badRequest("the request could not be decoded: " + e);
  }

  private static MethodResponse failed(Failure failure, InferMessage.RequestIds ids) {
    return new MethodResponse(failure.httpStatus(), Results.error(failure, ids));
  }

  private void submit(InferMessage request, EdgeMessage input, FeatureContext feature) throws TransportException {
    InferMessage.RequestIds ids = new InferMessage.RequestIds(request.correlationId(), request.model(),
        request.version());
    if (!acquire()) {
      answerNow(input, queueFull(), ids);
      return;
    }
    infer(request).whenCompleteAsync((result, error) -> complete(request, input, feature, result, error),
        sender.executor());
  }

  private CompletableFuture<InferenceResult> infer(InferMessage request) {
    try {
      return server.infer(request.request());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Sends the result (and an alert) of a completed request; runs on the sender's threads. */
  private void complete(InferMessage request, EdgeMessage input, FeatureContext feature, InferenceResult result,
      Throwable error) {
    InferMessage.RequestIds ids = new InferMessage.RequestIds(request.correlationId(), request.model(),
        request.version());
    EdgeMessage answer;
    EdgeMessage alert = null;
    try {
      if (error != null) {
        Failure failure = Failure.from(error);
        if (feature != null && NOT_ROUTABLE.contains(failure.kind())) {
          failure = notRoutable(feature.mapping(), feature.sensor());
        }
        answer = Results.message(Results.error(failure, ids), input.properties(), ids.correlationId());
      } else {
        List<Prediction> predictions = predictions(result);
        ObjectNode body = resultBody(request, result, predictions);
        if (feature != null) {
          body.put("sensor", feature.sensor());
          alert = alert(feature, result, predictions, input);
        }
        answer = Results.message(body, input.properties(), ids.correlationId());
        if (answer.sizeInBytes() > EdgeMessage.MAX_SIZE_BYTES) {
          answer = Results.message(Results.error(new Failure(Failure.RESULT_TOO_LARGE, "the result is "
              + answer.sizeInBytes() + " bytes, over edgeHub's limit of " + EdgeMessage.MAX_SIZE_BYTES + " bytes;"
              + (request.outputEncoding() == TensorEncoding.JSON ? " ask for \"outputEncoding\": \"base64\" or"
              : "") + " send fewer rows per request"), ids), input.properties(), ids.correlationId());
        }
      }
    } catch (RuntimeException e) {
      answer = Results.message(Results.error(Failure.of(FailureKind.MODEL_FAILED, "the result could not be written: "
          + e), ids), input.properties(), ids.correlationId());
    }
    EdgeMessage alertMessage = alert;
    sender.send(RESULTS, answer, alertMessage == null ? this::release
        : () -> sender.send(ALERT, alertMessage, this::release));
  }

  private ObjectNode resultBody(InferMessage request, InferenceResult result, List<Prediction> predictions) {
    return Results.ok(result, request.correlationId(), request.outputEncoding(),
        predictions == null ? predictions(result) : predictions);
  }

  /** The labels of the version that answered (a pinned or draining one may differ from the newest). */
  private List<Prediction> predictions(InferenceResult result) {
    ModelDescriptor descriptor = server.descriptor(result.model(), result.version()).orElse(null);
    if (descriptor == null || descriptor.labels().isEmpty()) {
      return List.of();
    }
    ModelDescriptor.Labels labels = descriptor.labels().get();
    return Prediction.of(labels, result.outputs().get(labels.output()));
  }

  /** The alert for a features result whose class is not the model's first, at or above minConfidence. */
  private static EdgeMessage alert(FeatureContext feature, InferenceResult result, List<Prediction> predictions,
      EdgeMessage input) {
    if (predictions.size() != 1) {
      return null;
    }
    Prediction p = predictions.get(0);
    if (p.index() == 0 || p.confidence() < feature.mapping().minConfidence()) {
      return null;
    }
    ObjectNode body = NODES.objectNode();
    body.put("sensor", feature.sensor());
    body.set("source", feature.features().get("source"));
    body.set("windowStart", feature.features().get("windowStart"));
    body.set("windowEnd", feature.features().get("windowEnd"));
    body.put("prediction", p.label());
    body.put("confidence", p.confidence());
    body.put("model", result.model());
    body.put("version", result.version());
    return EdgeMessage.builder().jsonBody(body.toString()).properties(input.properties())
        .property(Results.PREDICTION, p.label()).property(Results.CONFIDENCE, Double.toString(p.confidence()))
        .correlationId(input.correlationId().or(input::messageId).orElse(null)).build();
  }

  /** Sends an error at once, on the calling (input) thread; a retryable send failure propagates. */
  private void answerNow(EdgeMessage input, Failure failure, InferMessage.RequestIds ids) throws TransportException {
    output.send(RESULTS, Results.message(Results.error(failure, ids), input.properties(), ids.correlationId()));
  }

  private Failure queueFull() {
    return Failure.of(FailureKind.QUEUE_FULL, inFlight() + " requests are in flight, the most maxInFlight ("
        + settings.maxInFlight() + ") allows; try again later");
  }

  private boolean acquire() {
    synchronized (idle) {
      if (inFlight >= settings.maxInFlight()) {
        return false;
      }
      inFlight++;
      return true;
    }
  }

  private void release() {
    synchronized (idle) {
      inFlight--;
      if (inFlight == 0) {
        idle.notifyAll();
      }
    }
  }
}
