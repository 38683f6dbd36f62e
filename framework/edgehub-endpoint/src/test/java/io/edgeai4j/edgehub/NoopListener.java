package io.edgeai4j.edgehub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TransportListener;

/** A module host's listener that does nothing: holds a module's in-process connection to the hub. */
public final class NoopListener implements TransportListener {
  @Override
  public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
    return MessageDisposition.ABANDON;
  }

  @Override
  public void onDesiredPropertiesPatch(ObjectNode patch) {}

  @Override
  public MethodResponse onMethodInvoked(MethodRequest request) {
    return MethodResponse.error(501, "no handler");
  }

  @Override
  public void onConnectionStatusChanged(ConnectionStatusChange change) {}
}
