package io.edgeai4j.module.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TransportListener;

/**
 * The {@link TransportListener} the host opens its transport with: it passes each call to the part of the
 * host that handles it. Owned by {@link ModuleHost}; holds no state. Thread-safe as the parts it calls are.
 */
final class TransportEvents implements TransportListener {
  private final HandlerDispatch dispatch;
  private final TwinUpdates twin;
  private final ConnectionMonitor connection;

  TransportEvents(HandlerDispatch dispatch, TwinUpdates twin, ConnectionMonitor connection) {
    this.dispatch = dispatch;
    this.twin = twin;
    this.connection = connection;
  }

  @Override
  public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
    return dispatch.onInputMessage(inputName, message);
  }

  @Override
  public void onDesiredPropertiesPatch(ObjectNode patch) {
    twin.applyPatch(patch);
  }

  @Override
  public MethodResponse onMethodInvoked(MethodRequest request) {
    return dispatch.onMethodInvoked(request);
  }

  @Override
  public void onConnectionStatusChanged(ConnectionStatusChange change) {
    connection.onConnectionStatusChanged(change);
  }
}
