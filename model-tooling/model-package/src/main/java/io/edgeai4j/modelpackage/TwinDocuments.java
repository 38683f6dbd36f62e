package io.edgeai4j.modelpackage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a desired-properties document against IoT Hub's twin limits (/work/shared/reference/azure-iot-edge.md):
 * the whole document at most 32 KB (UTF-8 of its compact JSON, {@code $version} and {@code $metadata} at the top
 * level not counted), each string value at most 4 KB of UTF-8, nesting at most 10 objects or arrays below the
 * document, keys at most 1 KB of UTF-8 without {@code .}, {@code $}, space or control characters. Stateless,
 * thread-safe.
 */
public final class TwinDocuments {
  /** The most bytes of a desired (or reported) document. */
  public static final int MAX_DOCUMENT_BYTES = 32 * 1024;
  /** The most bytes of one string value. */
  public static final int MAX_VALUE_BYTES = 4 * 1024;
  /** The most nested objects or arrays below the document. */
  public static final int MAX_DEPTH = 10;
  /** The most bytes of a key. */
  public static final int MAX_KEY_BYTES = 1024;

  private static final Set<String> SYSTEM_KEYS = Set.of("$version", "$metadata");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TwinDocuments() {}

  /**
   * Every violation of the twin limits in {@code desired}, each starting with the JSON pointer of the offending
   * place ({@code ""} for the whole document); empty when it fits.
   */
  public static List<String> problems(JsonNode desired) {
    List<String> problems = new ArrayList<>();
    JsonNode counted = desired;
    if (desired.isObject()) {
      ObjectNode copy = ((ObjectNode) desired).deepCopy();
      copy.remove(SYSTEM_KEYS);
      counted = copy;
    }
    int bytes = compactBytes(counted);
    if (bytes > MAX_DOCUMENT_BYTES) {
      problems.add("\"\" (the whole document): " + bytes + " bytes of compact UTF-8 JSON, over the limit of "
          + MAX_DOCUMENT_BYTES);
    }
    check(counted, "", 0, problems);
    return problems;
  }

  private static void check(JsonNode node, String pointer, int depth, List<String> problems) {
    if (node.isTextual()) {
      int bytes = node.textValue().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_VALUE_BYTES) {
        problems.add(pointer + ": a string value of " + bytes + " bytes of UTF-8, over the limit of "
            + MAX_VALUE_BYTES);
      }
      return;
    }
    if (!node.isContainerNode()) {
      return;
    }
    if (depth > MAX_DEPTH) {
      problems.add(pointer + ": nested " + depth + " levels deep, over the limit of " + MAX_DEPTH);
      return; // one problem per branch is enough
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), pointer + "/" + i, depth + 1, problems);
      }
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      String childPointer = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
      String keyProblem = keyProblem(key);
      if (keyProblem != null) {
        problems.add(childPointer + ": " + keyProblem);
      }
      check(field.getValue(), childPointer, depth + 1, problems);
    }
  }

  private static String keyProblem(String key) {
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      return "a key of " + bytes + " bytes of UTF-8, over the limit of " + MAX_KEY_BYTES;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '$' || c == ' ' || Character.isISOControl(c)) {
        String shown = Character.isISOControl(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
        return "the key contains " + shown + "; twin keys must not contain '.', '$', space or control characters";
      }
    }
    return null;
  }

  private static int compactBytes(JsonNode node) {
    try {
      return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode always serializes: " + e.getMessage(), e);
    }
  }
}
