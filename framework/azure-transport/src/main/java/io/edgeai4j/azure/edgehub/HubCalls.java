package io.edgeai4j.azure.edgehub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.module.spi.TwinDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the direct-method calls and desired-property patches edgeHub publishes and runs them through the listener.
 * Stateless apart from its logger's subject; thread-safe.
 */
final class HubCalls {
  private static final Logger LOG = LoggerFactory.getLogger(HubCalls.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer to publish. */
  record Reply(String topic, byte[] body) {}

  private final String who;

  HubCalls(String who) {
    this.who = who;
  }

  /**
   * Calls the listener for {@code $iothub/methods/POST/{name}/?$rid={rid}} and returns the answer for
   * {@code $iothub/methods/res/{status}/?$rid={rid}}: the handler's, 400 for a payload that is not JSON, 500 when the
   * handler threw or returned nothing. Null when the topic names no method or request id (logged).
   */
  Reply invokeMethod(TransportListener listener, String topic, byte[] payload) {
    String rest = topic.substring(EdgeHubTopics.METHODS_POST.length());
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    String rid = EdgeHubTopics.parameter(topic, "$rid");
    if (rid == null || name.isEmpty()) {
      LOG.warn("{}: direct method call on {} names no method or request id; expected"
          + " $iothub/methods/POST/<method>/?$rid=<id>", who, topic);
      return null;
    }
    MethodResponse response;
    try {
      JsonNode request = payload.length == 0 ? NullNode.getInstance() : JSON.readTree(payload);
      response = listener.onMethodInvoked(new MethodRequest(name, request));
      if (response == null) {
        response = MethodResponse.error(500, "Direct method '" + name + "' returned no response");
      }
    } catch (IOException e) {
      response = MethodResponse.error(400, "Direct method '" + name + "' payload is not JSON: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{}: direct method '{}' failed", who, name, e);
      response = MethodResponse.error(500, "Direct method '" + name + "' failed: " + e);
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(response.payload());
    } catch (JsonProcessingException e) {
      response = MethodResponse.error(500, "Direct method '" + name + "' response cannot be written: " + e.getMessage());
      body = response.payload().toString().getBytes(StandardCharsets.UTF_8);
    }
    return new Reply("$iothub/methods/res/" + response.status() + "/?$rid=" + rid, body);
  }

  /**
   * Reads a patch on {@code $iothub/twin/PATCH/properties/desired/?$version={v}}: a JSON object, given the topic's
   * version when it has none. Null when the payload is not a JSON object (logged).
   */
  ObjectNode desiredPatch(String topic, byte[] payload) {
    ObjectNode patch;
    try {
      JsonNode node = JSON.readTree(payload);
      if (!(node instanceof ObjectNode object)) {
        LOG.error("{}: desired-properties patch on {} is not a JSON object: {}", who, topic, node);
        return null;
      }
      patch = object;
    } catch (IOException e) {
      LOG.error("{}: desired-properties patch on {} is not JSON: {}", who, topic, e.getMessage());
      return null;
    }
    String version = EdgeHubTopics.parameter(topic, "$version");
    if (!patch.has(TwinDocument.VERSION) && version != null) {
      try {
        patch.put(TwinDocument.VERSION, Long.parseLong(version));
      } catch (NumberFormatException e) {
        LOG.warn("{}: desired-properties patch on {} has version '{}', not a number", who, topic, version);
      }
    }
    return patch;
  }
}
