package io.edgeai4j.ingestion.mqtt;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.core.JsonPointer;

/**
 * Where one sensor's value is in a message: {@code {"path": "/data/0/value", "unit": "degC"}}.
 * Immutable; thread-safe.
 *
 * @param path A JSON Pointer (RFC 6901) to the value, e.g. {@code /temp}; the empty pointer {@code ""}
 *     means the whole payload (a device that publishes a bare {@code 21.5}).
 * @param unit The unit to report when the payload gives none at {@code unitPath}, or null.
 * @param unitPath A JSON Pointer to a string in the payload that names the unit, or null.
 */
public record FieldMapping(JsonPointer path, String unit, JsonPointer unitPath) {
  /** Validates. */
  public FieldMapping {
    if (path == null) {
      throw new InvalidSettingException("path", "is missing; expected a JSON Pointer to the value, such as \"/temp\"");
    }
    if (unit != null && unit.isBlank()) {
      throw new InvalidSettingException("unit", "is blank; expected a unit such as \"degC\", or leave it out");
    }
  }
}
