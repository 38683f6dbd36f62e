package io.edgeai4j.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodPayload;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import io.edgeai4j.module.spi.TwinDocument;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts twin documents and direct-method payloads between Jackson (edgeai4j's API) and the SDK's
 * {@link TwinCollection} and Gson types. Stateless; thread-safe.
 */
final class TwinConverter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private TwinConverter() {}

  /**
   * Returns a twin document as JSON, with its {@code $version} when the SDK parsed one. The SDK parses
   * numbers as {@code Long} or {@code Double}, so integers stay integers.
   */
  static ObjectNode toObjectNode(TwinCollection collection) {
    if (collection == null) {
      return MAPPER.createObjectNode();
    }
    ObjectNode node;
    try {
      // Through text, so that the nodes are those Jackson makes when it parses the same JSON
      // (an IntNode for 5, not the LongNode the SDK's Long would give) and compare equal to them.
      node = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(new LinkedHashMap<String, Object>(collection)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Twin document cannot be read as JSON: " + e.getOriginalMessage(), e);
    }
    if (collection.getVersion() != null) {
      node.put(TwinDocument.VERSION, collection.getVersion().intValue());
    }
    return node;
  }

  /**
   * Returns a reported-properties patch as the SDK's collection: objects become nested collections, arrays
   * become lists and a JSON null stays a null value, which deletes the key.
   */
  static TwinCollection toTwinCollection(ObjectNode patch) {
    Map<String, Object> values = MAPPER.convertValue(patch, MAP);
    TwinCollection collection = new TwinCollection();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      collection.put(e.getKey(), e.getValue());
    }
    return collection;
  }

  /** Returns a direct-method payload as JSON; {@code NullNode} when the caller sent none. */
  static JsonNode toJackson(DirectMethodPayload payload) {
    if (payload == null || payload.getPayloadAsJsonElement() == null) {
      return NullNode.getInstance();
    }
    try {
      return MAPPER.readTree(payload.getPayloadAsJsonString());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Direct-method payload is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Returns a JSON value as the Gson tree the SDK serialises into a direct-method response. */
  static JsonElement toGson(JsonNode value) {
    try {
      return JsonParser.parseString(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Direct-method response payload cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }
}
