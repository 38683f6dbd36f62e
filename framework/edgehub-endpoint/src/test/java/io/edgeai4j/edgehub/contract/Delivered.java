package io.edgeai4j.edgehub.contract;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An input message as a client under test handed it to module code: the input name, the body, the application
 * properties and the system properties (edgeai4j's names, {@code io.edgeai4j.module.SystemProperties}), whatever
 * the client.
 */
record Delivered(String inputName, byte[] body, Map<String, String> properties, Map<String, String> systemProperties) {
  Delivered {
    properties = Map.copyOf(properties);
    systemProperties = Map.copyOf(systemProperties);
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Delivered{input=" + inputName + ", body=" + text() + ", properties=" + properties + ", system="
        + systemProperties + '}';
  }
}
