package io.edgeai4j.module.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.ConnectionStatusReason;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.module.spi.TwinDocument;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of a transport: records what the host sends, and lets a test deliver input, patches,
 * method calls and status changes as a hub would. Thread-safe.
 */
final class InMemoryTransport implements ModuleTransport {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A message the host sent. */
  record Sent(String output, EdgeMessage message) {}

  private final ModuleIdentity identity;
  private volatile TransportListener listener;
  private volatile ObjectNode desired;
  private final ObjectNode reported = JSON.createObjectNode().put(TwinDocument.VERSION, 1);
  final List<Sent> sent = new CopyOnWriteArrayList<>();
  final List<ObjectNode> reportedPatches = new CopyOnWriteArrayList<>();
  final AtomicInteger twinReads = new AtomicInteger();
  final AtomicInteger opens = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  volatile TransportException openFailure;
  volatile TransportException twinFailure;
  volatile TransportException sendFailure;
  /**
   * When set, {@link #sendAsync} records the message and returns a future the test completes (as a transport
   * that pipelines sends does); otherwise it is {@link ModuleTransport}'s default, which runs {@link #send}.
   */
  volatile boolean holdAsyncSends;
  final List<CompletableFuture<Void>> heldSends = new CopyOnWriteArrayList<>();
  /** Runs at the end of {@link #open}, once the listener is set. */
  volatile Runnable onOpen = () -> {};
  /** Runs in {@link #close()}, after counting it. */
  volatile Runnable onClose = () -> {};

  InMemoryTransport(String moduleId, String desiredJson) {
    this.identity = new ModuleIdentity("device-1", moduleId);
    this.desired = (ObjectNode) json(desiredJson);
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public ModuleIdentity identity() {
    return identity;
  }

  @Override
  public void open(TransportListener l) throws TransportException {
    opens.incrementAndGet();
    if (openFailure != null) {
      throw openFailure;
    }
    this.listener = l;
    onOpen.run();
  }

  @Override
  public void send(String outputName, EdgeMessage message) throws TransportException {
    if (sendFailure != null) {
      throw sendFailure;
    }
    sent.add(new Sent(outputName, message));
  }

  @Override
  public CompletableFuture<Void> sendAsync(String outputName, EdgeMessage message) {
    if (!holdAsyncSends) {
      return ModuleTransport.super.sendAsync(outputName, message);
    }
    sent.add(new Sent(outputName, message));
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    heldSends.add(acknowledged);
    return acknowledged;
  }

  @Override
  public synchronized TwinDocument getTwin() throws TransportException {
    twinReads.incrementAndGet();
    if (twinFailure != null) {
      throw twinFailure;
    }
    return new TwinDocument(desired, reported);
  }

  @Override
  public synchronized void updateReportedProperties(ObjectNode patch) {
    reportedPatches.add(patch.deepCopy());
    merge(reported, patch);
  }

  /** Merges as the hub does: null deletes, objects merge. */
  private static void merge(ObjectNode target, ObjectNode patch) {
    patch.properties().forEach(field -> {
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject()) {
        if (!target.path(field.getKey()).isObject()) {
          target.putObject(field.getKey());
        }
        merge((ObjectNode) target.get(field.getKey()), (ObjectNode) value);
      } else {
        target.set(field.getKey(), value.deepCopy());
      }
    });
  }

  @Override
  public void close() {
    closes.incrementAndGet();
    onClose.run();
  }

  /** Returns the reported document as merged from the patches so far. */
  synchronized ObjectNode reported() {
    return reported.deepCopy();
  }

  /** Replaces the desired document the twin GET returns, without sending a patch. */
  synchronized void setDesired(String desiredJson) {
    this.desired = (ObjectNode) json(desiredJson);
  }

  /** Sends a desired patch (with its $version) as the hub would. */
  void patchDesired(String patchJson) {
    listener().onDesiredPropertiesPatch((ObjectNode) json(patchJson));
  }

  /** Delivers an input message on the calling thread, as a hub would, and returns the disposition. */
  MessageDisposition deliver(String input, EdgeMessage message) {
    return listener().onInputMessage(input, message);
  }

  /** Delivers an input message on a new thread. */
  CompletableFuture<MessageDisposition> deliverAsync(String input, EdgeMessage message) {
    TransportListener l = listener();
    return CompletableFuture.supplyAsync(() -> l.onInputMessage(input, message), r -> new Thread(r).start());
  }

  /** Calls a direct method on the calling thread. */
  MethodResponse invoke(String method, String payloadJson) {
    return listener().onMethodInvoked(new MethodRequest(method, json(payloadJson)));
  }

  /** Reports a connection status change. */
  void status(ConnectionStatus status, String reason) {
    listener().onConnectionStatusChanged(
        new ConnectionStatusChange(status, ConnectionStatusReason.valueOf(reason), null));
  }

  TransportListener listener() {
    TransportListener l = listener;
    if (l == null) {
      throw new IllegalStateException("transport not opened");
    }
    return l;
  }
}
