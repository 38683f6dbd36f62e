package io.edgeai4j.ingestion.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sensor name as written in a subscription's {@code fields}: plain text, or text with
 * {@code {topic[N]}} placeholders that stand for level {@code N} (counted from 0) of the topic a
 * message came on, e.g. {@code {topic[1]}-temp} on {@code sensors/+/telemetry} gives {@code press7-temp}
 * for a message on {@code sensors/press7/telemetry}. Immutable; thread-safe.
 */
final class SensorNameTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{topic\\[(\\d{1,3})]}");

  private final String text;
  /** Literal text and level indexes (Integer) in order. */
  private final List<Object> parts;

  private SensorNameTemplate(String text, List<Object> parts) {
    this.text = text;
    this.parts = parts;
  }

  /**
   * Parses a sensor name for a subscription to {@code topicFilter}.
   *
   * @throws IllegalArgumentException If the name is blank, has a brace outside a placeholder, or a
   *     placeholder names a level the filter does not have or a level under {@code #}.
   */
  static SensorNameTemplate parse(String text, String topicFilter) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("a sensor name must not be blank");
    }
    String[] levels = topicFilter.split("/", -1);
    List<Object> parts = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    int literalStart = 0;
    while (matcher.find()) {
      addLiteral(parts, text, text.substring(literalStart, matcher.start()));
      int level = Integer.parseInt(matcher.group(1));
      if (level >= levels.length || levels[level].equals("#")) {
        throw new IllegalArgumentException("sensor name " + text + " uses topic level " + level + ", but the topic "
            + topicFilter + " has fixed levels 0 to " + (fixedLevelCount(levels) - 1)
            + " (a placeholder {topic[N]} counts levels from 0 and cannot point at or below #)");
      }
      parts.add(level);
      literalStart = matcher.end();
    }
    addLiteral(parts, text, text.substring(literalStart));
    return new SensorNameTemplate(text, List.copyOf(parts));
  }

  private static void addLiteral(List<Object> parts, String text, String literal) {
    if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
      throw new IllegalArgumentException("sensor name " + text
          + " has a brace outside a placeholder; expected plain text or {topic[N]} placeholders");
    }
    if (!literal.isEmpty()) {
      parts.add(literal);
    }
  }

  private static int fixedLevelCount(String[] levels) {
    int count = 0;
    while (count < levels.length && !levels[count].equals("#")) {
      count++;
    }
    return count;
  }

  /** Whether the name has no placeholder, so that it is the same for every message. */
  boolean isFixed() {
    return parts.stream().noneMatch(Integer.class::isInstance);
  }

  /** The name as written in the settings. */
  String text() {
    return text;
  }

  /**
   * The sensor name for a message on a topic that matched the filter.
   *
   * @param topicLevels The topic split at {@code /}.
   */
  String resolve(String[] topicLevels) {
    if (isFixed()) {
      return text;
    }
    StringBuilder name = new StringBuilder();
    for (Object part : parts) {
      name.append(part instanceof Integer level ? topicLevels[level] : (String) part);
    }
    return name.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
