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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link TransportListener} that records what it is given, with the thread, and answers as told; for the tests of
 * both transports ({@code azure-iot-edge} and {@code edgehub-mqtt}). Thread-safe.
 */
public final class RecordingListener implements TransportListener {
  /** An input as delivered, with the input it arrived on and the thread it ran on. */
  public record Input(String inputName, EdgeMessage message, String thread) {}

  public final List<Input> inputs = new CopyOnWriteArrayList<>();
  public final List<ObjectNode> desiredPatches = new CopyOnWriteArrayList<>();
  public final List<String> desiredThreads = new CopyOnWriteArrayList<>();
  public final List<MethodRequest> methodCalls = new CopyOnWriteArrayList<>();
  public final List<ConnectionStatusChange> statusChanges = new CopyOnWriteArrayList<>();
  /** Answers each input (input name, message); completes by default. */
  public final AtomicReference<BiFunction<String, EdgeMessage, MessageDisposition>> inputHandler =
      new AtomicReference<>((input, message) -> MessageDisposition.COMPLETE);
  /** Answers each method call; echoes the payload with 200 by default. */
  public final AtomicReference<Function<MethodRequest, MethodResponse>> methodHandler =
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

  public List<ConnectionStatus> statuses() {
    return statusChanges.stream().map(ConnectionStatusChange::status).collect(Collectors.toList());
  }

  public ConnectionStatus lastStatus() {
    return statusChanges.isEmpty() ? null : statusChanges.get(statusChanges.size() - 1).status();
  }

  /** The inputs whose body contains the marker, in arrival order. */
  public List<Input> inputsWith(String bodyMarker) {
    return inputs.stream().filter(i -> i.message().bodyAsString().contains(bodyMarker)).collect(Collectors.toList());
  }
}
