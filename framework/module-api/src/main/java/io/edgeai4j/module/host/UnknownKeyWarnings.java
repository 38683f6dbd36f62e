package io.edgeai4j.module.host;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects the keys a binding ignores because the configuration type does not know them: a Jackson problem
 * handler that skips each unknown key's value and records a warning naming the key's JSON pointer and the
 * nearest known key when one is close. One instance per binding; confined to the thread that binds.
 */
final class UnknownKeyWarnings extends DeserializationProblemHandler {
  /** The warning's text after the pointer. */
  static final String IGNORED = "unknown key, ignored";

  private record Warning(String pointer, String text) {}

  private final List<Warning> warnings = new ArrayList<>();

  /**
   * Returns the warnings in the order the keys appear in {@code document} (Jackson meets them in another order
   * when a creator buffers properties).
   */
  List<String> warnings(JsonNode document) {
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
    String nearest = deserializer == null ? null : nearest(propertyName, deserializer.getKnownPropertyNames());
    String pointer = pointer(parser, propertyName);
    warnings.add(new Warning(pointer, pointer + ": " + IGNORED
        + (nearest == null ? "" : "; did you mean '" + nearest + "'?")));
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

  /**
   * The known key nearest to {@code key}: equal ignoring case, or within an edit distance of one for keys of
   * up to five characters and two for longer ones; null when none is that close. Ties go to the first in
   * alphabetical order.
   */
  static String nearest(String key, Collection<Object> known) {
    if (known == null) {
      return null;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    int limit = key.length() <= 5 ? 1 : 2;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object candidate : known) {
      String name = String.valueOf(candidate);
      int distance = distance(lower, name.toLowerCase(Locale.ROOT));
      if (distance <= limit && (distance < bestDistance || distance == bestDistance && name.compareTo(best) < 0)) {
        best = name;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** The Levenshtein distance between two strings. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
