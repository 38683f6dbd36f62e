package io.edgeai4j.edgehub.wire;

import java.util.Map;

/**
 * A topic a module publishes to, parsed: telemetry or an output, a twin GET, a reported-properties PATCH or a
 * direct-method response. Immutable.
 */
public sealed interface InboundTopic {
  /** The topics a module may publish to, for error messages. */
  String EXPECTED = "devices/{deviceId}/modules/{moduleId}/messages/events/{property bag}, "
      + "$iothub/twin/GET/?$rid={rid}, $iothub/twin/PATCH/properties/reported/?$rid={rid}[&$version={n}] or "
      + "$iothub/methods/res/{status}/?$rid={rid}";

  /**
   * A message: {@code devices/{d}/modules/{m}/messages/events/{bag}}.
   *
   * @param deviceId The device id in the topic.
   * @param moduleId The module id in the topic.
   * @param bag The decoded property bag.
   */
  record Event(String deviceId, String moduleId, Map<String, String> bag) implements InboundTopic {}

  /**
   * A twin read: {@code $iothub/twin/GET/?$rid={rid}}.
   *
   * @param rid The request id.
   */
  record TwinGet(String rid) implements InboundTopic {}

  /**
   * A reported-properties patch: {@code $iothub/twin/PATCH/properties/reported/?$rid={rid}[&$version={n}]}.
   *
   * @param rid The request id.
   * @param version The version the module expects, or null.
   */
  record ReportedPatch(String rid, Long version) implements InboundTopic {}

  /**
   * A direct-method response: {@code $iothub/methods/res/{status}/?$rid={rid}}.
   *
   * @param status The status the module answered.
   * @param rid The request id of the call.
   */
  record MethodResponse(int status, String rid) implements InboundTopic {}

  /**
   * Parses a topic a module published to.
   *
   * @param topic The topic.
   * @return What it is.
   * @throws WireFormatException If it is none of {@link #EXPECTED}; the message names the topic.
   */
  static InboundTopic parse(String topic) {
    return Topics.parseInbound(topic);
  }
}
