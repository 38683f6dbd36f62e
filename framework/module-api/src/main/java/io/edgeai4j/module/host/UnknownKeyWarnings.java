package io.edgeai4j.module.host;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import io.edgeai4j.module.UnknownKeys;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the keys a binding ignores because the configuration type does not know them: a Jackson problem
 * handler that skips each unknown key's value and records a warning naming the key's JSON pointer and the
 * nearest known key when one is close ({@link UnknownKeys#ignored}). One instance per binding; confined to
 * the thread that binds.
 */
final class UnknownKeyWarnings extends DeserializationProblemHandler {
  /** A warning about the value at a JSON pointer; {@code text} starts with the pointer. */
  record Warning(String pointer, String text) {}

  private final List<Warning> warnings = new ArrayList<>();

  /** Returns the warnings in the order Jackson met the keys. */
  List<Warning> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * Returns the warnings' texts in the order their pointers appear in {@code document} (Jackson meets keys in
   * another order when a creator buffers properties, and a module adds its own after the binding's); a pointer
   * not in the document comes last, in the order given.
   */
  static List<String> inDocumentOrder(List<Warning> warnings, JsonNode document) {
    Map<String, Integer> order = new HashMap<>();
    number(document, "", order);
    return warnings.stream()
        .sorted(Comparator.comparingInt(w -> order.getOrDefault(w.pointer(), Integer.MAX_VALUE)))
        .map(Warning::text)
        .toList();
  }

  /** Numbers every pointer of a document depth-first, in document order. */
  private static void number(JsonNode node, String pointer, Map<String, Integer> order) {
    order.put(pointer, order.size());
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        number(field.getValue(), pointer + "/" + escape(field.getKey()), order);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        number(node.get(i), pointer + "/" + i, order);
      }
    }
  }

  @Override
  public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
      JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
    parser.skipChildren();
    String pointer = pointer(parser, propertyName);
    warnings.add(new Warning(pointer, pointer + ": "
        + UnknownKeys.ignored(propertyName, deserializer == null ? null : deserializer.getKnownPropertyNames())));
    return true;
  }

  /**
   * The pointer of the unknown key, built from the parser's contexts once its value is skipped (the context is
   * then the key's own; {@code JsonPointer.forPath} doubles a slash there on a tree parser).
   */
  private static String pointer(JsonParser parser, String propertyName) {
    Deque<String> segments = new ArrayDeque<>();
    for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        segments.addFirst(Integer.toString(Math.max(c.getCurrentIndex(), 0)));
      } else if (c.getCurrentName() != null) {
        segments.addFirst(escape(c.getCurrentName()));
      }
    }
    return "/" + (segments.isEmpty() ? escape(propertyName) : String.join("/", segments));
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
