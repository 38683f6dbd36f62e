package io.edgeai4j.edgehub.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TransportListener;

/** For an in-process sender ({@code hub.transportFor}) that expects nothing from the hub. */
final class IgnoringListener implements TransportListener {
  @Override
  public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
    return MessageDisposition.ABANDON;
  }

  @Override
  public void onDesiredPropertiesPatch(ObjectNode patch) {}

  @Override
  public MethodResponse onMethodInvoked(MethodRequest request) {
    return MethodResponse.error(501, "this module takes no methods");
  }

  @Override
  public void onConnectionStatusChanged(ConnectionStatusChange change) {}
}
