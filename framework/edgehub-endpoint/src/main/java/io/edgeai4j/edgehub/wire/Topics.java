package io.edgeai4j.edgehub.wire;

import java.util.Map;

/**
 * edgeHub's module topics: parses what a module publishes ({@link InboundTopic}) and writes what edgeHub sends a
 * module (inputs, twin responses, desired-property patches, method calls). Stateless.
 */
public final class Topics {
  static final String TWIN_GET = "$iothub/twin/GET/";
  static final String REPORTED_PATCH = "$iothub/twin/PATCH/properties/reported/";
  static final String METHOD_RESPONSE = "$iothub/methods/res/";
  /** The prefix of twin responses. */
  public static final String TWIN_RESPONSE = "$iothub/twin/res/";
  /** The prefix of desired-property patches. */
  public static final String DESIRED_PATCH = "$iothub/twin/PATCH/properties/desired/";
  /** The prefix of direct-method calls. */
  public static final String METHOD_REQUEST = "$iothub/methods/POST/";

  private Topics() {}

  /**
   * Writes an input delivery topic as edgeHub does: {@code devices/{d}/modules/{m}/inputs/{input}/{bag}}, no
   * trailing {@code /}.
   *
   * @param deviceId The device id.
   * @param moduleId The receiving module.
   * @param inputName The input.
   * @param bag The entries, not yet escaped ({@link ModuleMessages#inputBag}).
   * @return The topic.
   */
  public static String input(String deviceId, String moduleId, String inputName, Map<String, String> bag) {
    String base = inputPrefix(deviceId, moduleId) + inputName;
    return bag.isEmpty() ? base : base + "/" + PropertyBag.encode(bag);
  }

  /** Returns {@code devices/{d}/modules/{m}/inputs/}. */
  public static String inputPrefix(String deviceId, String moduleId) {
    return "devices/" + deviceId + "/modules/" + moduleId + "/inputs/";
  }

  /**
   * Writes a twin response topic: {@code $iothub/twin/res/{status}/?$rid={rid}[&$version={n}]}.
   *
   * @param status The status, three digits.
   * @param rid The request id.
   * @param version The new version, or null.
   * @return The topic.
   */
  public static String twinResponse(int status, String rid, Long version) {
    return TWIN_RESPONSE + status + "/?$rid=" + rid + (version == null ? "" : "&$version=" + version);
  }

  /** Writes a desired-property patch topic: {@code $iothub/twin/PATCH/properties/desired/?$version={n}}. */
  public static String desiredPatch(long version) {
    return DESIRED_PATCH + "?$version=" + version;
  }

  /** Writes a direct-method call topic: {@code $iothub/methods/POST/{name}/?$rid={rid}}. */
  public static String methodRequest(String methodName, String rid) {
    return METHOD_REQUEST + methodName + "/?$rid=" + rid;
  }

  static InboundTopic parseInbound(String topic) {
    if (topic.startsWith("devices/")) {
      String[] parts = topic.split("/", 7);
      if (parts.length >= 6 && parts[2].equals("modules") && parts[4].equals("messages")
          && parts[5].equals("events") && !parts[1].isEmpty() && !parts[3].isEmpty()) {
        Map<String, String> bag = parts.length == 7 ? PropertyBag.decode(parts[6]) : Map.of();
        return new InboundTopic.Event(parts[1], parts[3], bag);
      }
    } else if (topic.startsWith(TWIN_GET)) {
      return new InboundTopic.TwinGet(query(topic, TWIN_GET, false).rid);
    } else if (topic.startsWith(REPORTED_PATCH)) {
      Query q = query(topic, REPORTED_PATCH, true);
      return new InboundTopic.ReportedPatch(q.rid, q.version);
    } else if (topic.startsWith(METHOD_RESPONSE)) {
      String rest = topic.substring(METHOD_RESPONSE.length());
      int slash = rest.indexOf('/');
      String status = slash < 0 ? rest : rest.substring(0, slash);
      if (slash < 0 || !status.matches("\\d{3}")) {
        throw new WireFormatException("method response topic '" + topic + "' has status '" + status
            + "'; expected $iothub/methods/res/{3-digit status}/?$rid={rid}");
      }
      String rid = query(topic, METHOD_RESPONSE + status + "/", false).rid;
      return new InboundTopic.MethodResponse(Integer.parseInt(status), rid);
    }
    throw new WireFormatException("topic '" + topic + "' is not one a module may publish to; expected "
        + InboundTopic.EXPECTED);
  }

  private record Query(String rid, Long version) {}

  private static Query query(String topic, String prefix, boolean versionAllowed) {
    String rest = topic.substring(prefix.length());
    if (!rest.startsWith("?")) {
      throw new WireFormatException("topic '" + topic + "' has '" + rest + "' after '" + prefix
          + "'; expected ?$rid={rid}");
    }
    String rid = null;
    Long version = null;
    for (String entry : rest.substring(1).split("&")) {
      if (entry.startsWith("$rid=")) {
        rid = entry.substring(5);
      } else if (versionAllowed && entry.startsWith("$version=")) {
        try {
          version = Long.parseLong(entry.substring(9));
        } catch (NumberFormatException e) {
          throw new WireFormatException("topic '" + topic + "' has $version '" + entry.substring(9)
              + "'; expected a whole number");
        }
      }
    }
    if (rid == null || rid.isEmpty()) {
      throw new WireFormatException("topic '" + topic + "' has no $rid; expected " + prefix + "?$rid={rid}");
    }
    return new Query(rid, version);
  }
}
