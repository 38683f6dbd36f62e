package io.edgeai4j.azure;

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
import java.util.function.Function;
import java.util.stream.Collectors;

/** A {@link TransportListener} that records everything and answers as configured. Thread-safe. */
final class RecordingListener implements TransportListener {
  /** An input message with the input it arrived on. */
  record Input(String inputName, EdgeMessage message) {}

  final List<Input> inputs = new CopyOnWriteArrayList<>();
  final List<ObjectNode> desiredPatches = new CopyOnWriteArrayList<>();
  final List<MethodRequest> methodCalls = new CopyOnWriteArrayList<>();
  final List<ConnectionStatusChange> statusChanges = new CopyOnWriteArrayList<>();
  final AtomicReference<Function<EdgeMessage, MessageDisposition>> inputHandler =
      new AtomicReference<>(message -> MessageDisposition.COMPLETE);
  final AtomicReference<Function<MethodRequest, MethodResponse>> methodHandler =
      new AtomicReference<>(request -> MethodResponse.ok(request.payload()));

  @Override
  public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
    inputs.add(new Input(inputName, message));
    return inputHandler.get().apply(message);
  }

  @Override
  public void onDesiredPropertiesPatch(ObjectNode patch) {
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

  ConnectionStatus lastStatus() {
    return statusChanges.isEmpty() ? null : statusChanges.get(statusChanges.size() - 1).status();
  }
}
