package io.edgeai4j.runtime.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.module.spi.TwinDocument;

/** The in-process link between one module host and the {@link LocalEdgeHub}. Thread-safe. */
final class LocalModuleTransport implements ModuleTransport {
  private final LocalEdgeHub hub;
  private final ModuleIdentity identity;
  private volatile TransportListener listener;
  private volatile boolean closed;

  LocalModuleTransport(LocalEdgeHub hub, ModuleIdentity identity) {
    this.hub = hub;
    this.identity = identity;
  }

  @Override
  public ModuleIdentity identity() {
    return identity;
  }

  @Override
  public synchronized void open(TransportListener listener) throws TransportException {
    if (closed || this.listener != null) {
      throw new TransportException("transport of '" + identity.moduleId() + "' is "
          + (closed ? "closed" : "already open"), false, null);
    }
    hub.connect(identity.moduleId(), listener);
    this.listener = listener;
  }

  /**
   * Sends as {@link ModuleTransport#send}; a null output name sends the module's telemetry without an output, as an
   * SDK module's {@code sendEvent(message)} does: routed from {@code /messages/modules/<module>/} (the MQTT endpoint
   * passes such messages from modules in other languages).
   */
  @Override
  public void send(String outputName, EdgeMessage message) throws TransportException {
    requireOpen();
    hub.requireLink(identity.moduleId());
    hub.publish(identity.moduleId(), outputName, message);
  }

  @Override
  public TwinDocument getTwin() throws TransportException {
    requireOpen();
    hub.requireLink(identity.moduleId());
    return hub.twin(identity.moduleId());
  }

  @Override
  public void updateReportedProperties(ObjectNode patch) throws TransportException {
    requireOpen();
    hub.requireLink(identity.moduleId());
    hub.updateReported(identity.moduleId(), patch);
  }

  private void requireOpen() throws TransportException {
    if (closed || listener == null) {
      throw new TransportException("transport of '" + identity.moduleId() + "' is "
          + (closed ? "closed" : "not open"), false, null);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    TransportListener l = listener;
    if (l != null) {
      hub.disconnect(identity.moduleId(), l);
    }
  }
}
