package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.module.partition.ActivationChunks;
import io.edgeai4j.inference.serving.FailureKind;
import io.edgeai4j.inference.serving.InferenceFailure;
import io.edgeai4j.inference.serving.InferenceRequest;
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
 * Answers {@code infer}, {@code features} and {@code windows} messages, the requests {@link ActivationsInput} makes of
 * reassembled activations, and the {@code infer} method. A request naming a split model that this module serves part 0
 * of runs that part; the result of a part that is not the last goes on {@value ActivationForwarder#OUTPUT} (chunks,
 * through the {@link ResultSender}) instead of {@value #RESULTS}, and the last part answers as the unsplit model. An input handler decodes
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
  record Settings(TensorCodec codec, Map<String, FeatureMapping> features, Map<String, FeatureMapping> windows,
      int maxInFlight) {}

  /** The inputs that carry a sensor's message, mapped to a model by the twin section of the same name. */
  enum SensorInput {
    FEATURES("features", "featureInput"),
    WINDOWS("windows", "windowInput");

    final String input;
    final String block;

    SensorInput(String input, String block) {
      this.input = input;
      this.block = block;
    }

    Map<String, FeatureMapping> mappings(Settings settings) {
      return this == FEATURES ? settings.features() : settings.windows();
    }
  }

  /**
   * A request accepted, with what its answer needs.
   *
   * @param mapping The sensor's mapping when it came from a sensor's message on this module (for an unroutable one's
   *     error); else null.
   * @param fromActivations Whether it came on input {@code activations} (the chunks' own properties are dropped).
   */
  private record Accepted(InferMessage request, EdgeMessage input, RequestOrigin origin, SensorInput sensorInput,
      FeatureMapping mapping, boolean fromActivations) {}

  private final ModelServer server;
  private final ResultSender sender;
  private final ResultSender.Output output;
  private final ActivationForwarder forwarder;
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
  RequestHandler(ModelServer server, ResultSender sender, ResultSender.Output output, Settings settings,
      ActivationForwarder forwarder) {
    this.server = server;
    this.sender = sender;
    this.output = output;
    this.forwarder = forwarder;
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
    submit(request, message);
    return MessageDisposition.COMPLETE;
  }

  /** Handles a message on input {@code features}: the sensor's mapped model classifies it. */
  MessageDisposition onFeatures(EdgeMessage message) throws TransportException {
    return onSensor(message, SensorInput.FEATURES);
  }

  /** Handles a message on input {@code windows} (a window's raw samples): the sensor's mapped model runs on it. */
  MessageDisposition onWindows(EdgeMessage message) throws TransportException {
    return onSensor(message, SensorInput.WINDOWS);
  }

  private MessageDisposition onSensor(EdgeMessage message, SensorInput kind) throws TransportException {
    String correlationId = message.correlationId().or(message::messageId).orElse(null);
    JsonNode body;
    try {
      body = JsonBodies.parse(message);
    } catch (IllegalStateException e) {
      answerNow(message, Failure.badRequest(e.getMessage()), new InferMessage.RequestIds(correlationId, null, null));
      return MessageDisposition.COMPLETE;
    }
    String sensor = message.property("sensor").orElseGet(() -> body.path("sensor").asText(null));
    Map<String, FeatureMapping> mappings = kind.mappings(settings);
    FeatureMapping mapping = sensor == null ? null : mappings.get(sensor);
    if (mapping == null) {
      answerNow(message, Failure.badRequest(kind.input + " message of sensor " + (sensor == null ? "(none: no"
          + " 'sensor' property or field)" : "'" + sensor + "'") + ": no model is mapped to it; mapped sensors (twin "
          + kind.input + ".<sensor>.model): " + mappings.keySet()), new InferMessage.RequestIds(correlationId, null,
          null));
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
    Accepted accepted = new Accepted(request, message, RequestOrigin.sensor(kind.input, sensor, body, mapping), kind,
        mapping, false);
    String model = served(mapping.model(), mapping.version());
    CompletableFuture<InferenceResult> future;
    try {
      future = server.infer(model, mapping.version(), correlationId, d -> kind == SensorInput.FEATURES
          ? featureRow(d, body, mapping, sensor) : windowRow(d, body, mapping, sensor));
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenCompleteAsync((result, error) -> complete(accepted, result, error), sender.executor());
    return MessageDisposition.COMPLETE;
  }

  /**
   * Runs a later part of a split model on the tensors forwarded by the part before it (input {@code activations}).
   *
   * @param model The part named by the chunks' {@code model} property; its {@code model.json} must have a
   *     {@code partition} block with {@code part} > 0, else the request is answered {@code bad_request}.
   * @param first The set's first chunk: its correlation id and application properties are the request's.
   */
  void submitPart(String model, Map<String, Tensor> tensors, RequestOrigin origin, EdgeMessage first) {
    String correlationId = first.correlationId().or(first::messageId).orElse(null);
    InferMessage request = new InferMessage(model, null, correlationId, Map.of(), origin.outputEncoding());
    Accepted accepted = new Accepted(request, first, origin, null, null, true);
    if (!acquire()) {
      answerLater(first, queueFull(), new InferMessage.RequestIds(correlationId, model, null));
      return;
    }
    CompletableFuture<InferenceResult> future;
    try {
      future = server.infer(model, null, correlationId, d -> partInputs(d, model, tensors));
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenCompleteAsync((result, error) -> complete(accepted, result, error), sender.executor());
  }

  private static Map<String, Tensor> partInputs(ModelDescriptor descriptor, String model, Map<String, Tensor> tensors)
      throws InferenceFailure {
    if (descriptor.partition().filter(p -> p.part() > 0).isEmpty()) {
      throw badRequest("model '" + model + "' (property 'model' of the activations) is not a later part of a split"
          + " model: its model.json has " + descriptor.partition().map(p -> "partition.part " + p.part())
          .orElse("no partition block") + "; expected a partition block with part 1 or more");
    }
    return tensors;
  }

  /**
   * The model a request naming {@code model} runs: that model when it is served; else, when {@code model} is a split
   * model whose part 0 this module serves ({@code partition.model} = {@code model}, {@code part} 0), that part.
   */
  private String served(String model, Long version) {
    if (server.routedDescriptor(model, version).isPresent()) {
      return model;
    }
    for (ModelStatus m : server.models()) {
      var partition = server.routedDescriptor(m.name(), null).flatMap(ModelDescriptor::partition);
      if (partition.isPresent() && partition.get().part() == 0 && partition.get().model().equals(model)) {
        return m.name();
      }
    }
    return model;
  }

  /**
   * The input tensor of a windows message for the version described by {@code descriptor}: its {@code values} as
   * {@code [1, 1, length]} of the version's {@code windowInput}.
   *
   * @throws InferenceFailure BAD_INPUT caused by a {@link BadRequestException} (answered {@code bad_request}).
   */
  private static Map<String, Tensor> windowRow(ModelDescriptor descriptor, JsonNode body, FeatureMapping mapping,
      String sensor) throws InferenceFailure {
    if (descriptor.windowInput().isEmpty()) {
      throw badRequest("model '" + mapping.model() + "' (windows." + sensor + ".model) has no windowInput in its"
          + " model.json, so windows messages cannot feed it");
    }
    ModelDescriptor.WindowInput windowInput = descriptor.windowInput().get();
    try {
      return Map.of(windowInput.input(), windowInput.tensor(body));
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage() + " (model '" + mapping.model() + "' windowInput)");
    }
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

  /** Why a sensor's request has no version to go to: the model or version is not served, or none is READY. */
  private Failure notRoutable(SensorInput kind, FeatureMapping mapping, String sensor) {
    String setting = kind.input + "." + sensor;
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

  private void submit(InferMessage request, EdgeMessage input) throws TransportException {
    InferMessage.RequestIds ids = new InferMessage.RequestIds(request.correlationId(), request.model(),
        request.version());
    if (!acquire()) {
      answerNow(input, queueFull(), ids);
      return;
    }
    Accepted accepted = new Accepted(request, input, RequestOrigin.infer(request.outputEncoding()), null, null,
        false);
    infer(request).whenCompleteAsync((result, error) -> complete(accepted, result, error), sender.executor());
  }

  private CompletableFuture<InferenceResult> infer(InferMessage request) {
    try {
      String model = served(request.model(), request.version());
      return server.infer(model.equals(request.model()) ? request.request()
          : new InferenceRequest(model, request.version(), request.inputs(), request.correlationId()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Sends the result (and an alert) of a completed request, or, for a part of a split model that is not the last, its
   * output tensors on {@value ActivationForwarder#OUTPUT}; runs on the sender's threads.
   */
  private void complete(Accepted accepted, InferenceResult result, Throwable error) {
    InferMessage request = accepted.request();
    EdgeMessage input = accepted.input();
    InferMessage.RequestIds ids = new InferMessage.RequestIds(request.correlationId(), request.model(),
        request.version());
    Map<String, String> properties = accepted.fromActivations() ? requestProperties(input) : input.properties();
    EdgeMessage answer;
    EdgeMessage alert = null;
    try {
      if (error != null) {
        Failure failure = Failure.from(error);
        if (accepted.mapping() != null && NOT_ROUTABLE.contains(failure.kind())) {
          failure = notRoutable(accepted.sensorInput(), accepted.mapping(), accepted.origin().sensor());
        }
        answer = Results.message(Results.error(failure, ids), properties, ids.correlationId());
      } else {
        ModelDescriptor descriptor = server.descriptor(result.model(), result.version()).orElse(null);
        ModelDescriptor.Partition partition = descriptor == null ? null : descriptor.partition().orElse(null);
        if (partition != null && !partition.last()) {
          forward(accepted, result, partition, descriptor, properties, ids);
          return;
        }
        List<Prediction> predictions = predictions(result);
        ObjectNode body = resultBody(request, result, predictions);
        String answeredAs = partition == null ? result.model() : partition.model();
        body.put("model", answeredAs);
        if (accepted.origin().fromSensor()) {
          body.put("sensor", accepted.origin().sensor());
          alert = alert(accepted.origin(), answeredAs, result, predictions, input, properties);
        }
        answer = Results.message(body, properties, ids.correlationId());
        if (answer.sizeInBytes() > EdgeMessage.MAX_SIZE_BYTES) {
          answer = Results.message(Results.error(new Failure(Failure.RESULT_TOO_LARGE, "the result is "
              + answer.sizeInBytes() + " bytes, over edgeHub's limit of " + EdgeMessage.MAX_SIZE_BYTES + " bytes;"
              + (request.outputEncoding() == TensorEncoding.JSON ? " ask for \"outputEncoding\": \"base64\" or"
              : "") + " send fewer rows per request"), ids), properties, ids.correlationId());
        }
      }
    } catch (RuntimeException e) {
      answer = Results.message(Results.error(Failure.of(FailureKind.MODEL_FAILED, "the result could not be written: "
          + e), ids), properties, ids.correlationId());
    }
    EdgeMessage alertMessage = alert;
    sender.send(RESULTS, answer, alertMessage == null ? this::release
        : () -> sender.send(ALERT, alertMessage, this::release));
  }

  /** Sends the output tensors of a part that is not the last, chunk after chunk; an error goes on results. */
  private void forward(Accepted accepted, InferenceResult result, ModelDescriptor.Partition partition,
      ModelDescriptor descriptor, Map<String, String> properties, InferMessage.RequestIds ids) {
    List<EdgeMessage> chunks;
    try {
      chunks = forwarder.chunks(result, partition, descriptor, accepted.origin(), properties, ids.correlationId());
    } catch (RuntimeException e) {
      sender.send(RESULTS, Results.message(Results.error(new Failure(Failure.RESULT_TOO_LARGE, "the activations of"
          + " model '" + result.model() + "' cannot be forwarded to '" + partition.next() + "': " + e.getMessage()),
          ids), properties, ids.correlationId()), this::release);
      return;
    }
    sendChunks(chunks, 0);
  }

  private void sendChunks(List<EdgeMessage> chunks, int next) {
    if (next == chunks.size()) {
      release();
      return;
    }
    EdgeMessage chunk = chunks.get(next);
    sender.send(ActivationForwarder.OUTPUT, chunk, () -> {
      forwarder.sent(chunk);
      sendChunks(chunks, next + 1);
    });
  }

  /** The request's application properties carried by an activations chunk: its own chunk properties left out. */
  static Map<String, String> requestProperties(EdgeMessage chunk) {
    Map<String, String> properties = new java.util.LinkedHashMap<>(chunk.properties());
    properties.keySet().removeAll(ActivationChunks.OWN_PROPERTIES);
    return properties;
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

  /** The alert for a sensor's result whose class is not the model's first, at or above minConfidence. */
  private static EdgeMessage alert(RequestOrigin origin, String model, InferenceResult result,
      List<Prediction> predictions, EdgeMessage input, Map<String, String> properties) {
    if (predictions.size() != 1) {
      return null;
    }
    Prediction p = predictions.get(0);
    if (p.index() == 0 || p.confidence() < origin.minConfidence()) {
      return null;
    }
    ObjectNode body = NODES.objectNode();
    body.put("sensor", origin.sensor());
    body.set("source", origin.source());
    body.set("windowStart", origin.windowStart());
    body.set("windowEnd", origin.windowEnd());
    body.put("prediction", p.label());
    body.put("confidence", p.confidence());
    body.put("model", model);
    body.put("version", result.version());
    return EdgeMessage.builder().jsonBody(body.toString()).properties(properties)
        .property(Results.PREDICTION, p.label()).property(Results.CONFIDENCE, Double.toString(p.confidence()))
        .correlationId(input.correlationId().or(input::messageId).orElse(null)).build();
  }

  /** Sends an error from the sender (retried when the hub refuses it for now): for answers off the input thread. */
  void answerLater(EdgeMessage input, Failure failure, InferMessage.RequestIds ids) {
    sender.send(RESULTS, Results.message(Results.error(failure, ids), requestProperties(input),
        ids.correlationId()), () -> { });
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
