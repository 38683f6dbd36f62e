package io.edgeai4j.azure.edgehub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TransportListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A {@link TransportListener} that records what it is given, with the thread, and answers as told. Thread-safe. */
final class Recorder implements TransportListener {
  /** An input as delivered, with the thread it ran on. */
  record Input(String inputName, EdgeMessage message, String thread) {}

  final List<Input> inputs = new CopyOnWriteArrayList<>();
  final List<ObjectNode> desiredPatches = new CopyOnWriteArrayList<>();
  final List<String> desiredThreads = new CopyOnWriteArrayList<>();
  final List<MethodRequest> methodCalls = new CopyOnWriteArrayList<>();
  final List<ConnectionStatusChange> statusChanges = new CopyOnWriteArrayList<>();
  final AtomicReference<BiFunction<String, EdgeMessage, MessageDisposition>> inputHandler =
      new AtomicReference<>((input, message) -> MessageDisposition.COMPLETE);
  final AtomicReference<Function<MethodRequest, MethodResponse>> methodHandler =
      new AtomicReference<>(request -> MethodResponse.ok(request.payload()));

  @Override
  public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
    inputs.add(new Input(inputName, message, Thread.currentThread().getName()));
    return inputHandler.get().apply(inputName, message);
  }

  @Override
  public void onDesiredPropertiesPatch(ObjectNode patch) {
    desiredThreads.add(Thread.currentThread().getName());
    desiredPatches.add(patch);
  }

  @Override
  public MethodResponse onMethodInvoked(MethodRequest request) {
    methodCalls.add(request);
    return methodHandler.get().apply(request);
  }

  @Override
  public void onConnectionStatusChanged(ConnectionStatusChange change) {
    statusChanges.add(change);
  }

  List<ConnectionStatus> statuses() {
    return statusChanges.stream().map(ConnectionStatusChange::status).collect(Collectors.toList());
  }

  List<Input> inputsWith(String bodyMarker) {
    return inputs.stream().filter(i -> i.message().bodyAsString().contains(bodyMarker)).collect(Collectors.toList());
  }
}
