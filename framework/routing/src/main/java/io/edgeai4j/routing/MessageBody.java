package io.edgeai4j.routing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a message body as edgeHub's {@code Message.GetQueryValue} does: the system property
 * {@code contentEncoding} must be {@code utf-8}, {@code utf-16} (little-endian) or {@code utf-32}
 * (little-endian), and {@code contentType} must be {@code application/json}, both ignoring case;
 * the decoded text must be one JSON object, read with Json.NET's leniency (comments, single
 * quotes, unquoted names, trailing commas, {@code NaN} and {@code Infinity}).
 */
final class MessageBody {
  private MessageBody() {}

  /** The body cannot be queried; the query is undefined. */
  static final class BodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Map<String, Charset> ENCODINGS =
      Map.of(
          "utf-8", StandardCharsets.UTF_8,
          "utf-16", StandardCharsets.UTF_16LE,
          "utf-32", Charset.forName("UTF-32LE"));

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(new JsonFactory())
          .enable(
              JsonReadFeature.ALLOW_JAVA_COMMENTS,
              JsonReadFeature.ALLOW_SINGLE_QUOTES,
              JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
              JsonReadFeature.ALLOW_TRAILING_COMMA,
              JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
              JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /**
   * Decodes and parses the body.
   *
   * @param contentType The {@code contentType} system property, or {@code null} if absent.
   * @param hasContentType Whether the property is present (its value may be null).
   * @param contentEncoding The {@code contentEncoding} system property, or {@code null}.
   * @param hasContentEncoding Whether the property is present.
   * @throws BodyException If the body cannot be queried.
   */
  static JsonNode parse(
      byte[] body,
      String contentType,
      boolean hasContentType,
      String contentEncoding,
      boolean hasContentEncoding) {
    if (!hasContentEncoding) {
      throw new BodyException("Content encoding is not specified in system properties.");
    }
    Charset charset =
        contentEncoding == null ? null : ENCODINGS.get(contentEncoding.toLowerCase(Locale.ROOT));
    if (charset == null) {
      throw new BodyException("Content encoding '" + contentEncoding + "' is not supported.");
    }
    if (!hasContentType) {
      throw new BodyException("Content type is not specified in system properties.");
    }
    if (!"application/json".equalsIgnoreCase(contentType)) {
      throw new BodyException("Content type '" + contentType + "' is not supported.");
    }
    String json = new String(body, charset);
    if (json.startsWith("\ufeff")) {
      // .NET's Encoding.GetString keeps a byte order mark, and Json.NET rejects it.
      throw new BodyException("Unexpected character encountered while parsing value: \ufeff");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BodyException(e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BodyException("The body is not a JSON object.");
    }
    return root;
  }

  /**
   * Turns what a path selected into a query value, as {@code JsonMessageQueryValueProvider} does:
   * nothing selected is {@link QueryValue#MISSING}; several tokens, an object, an array or a
   * string Json.NET reads as a date are objects.
   */
  static QueryValue toQueryValue(List<JsonNode> selected) {
    if (selected.isEmpty()) {
      return QueryValue.MISSING;
    }
    if (selected.size() > 1) {
      return QueryValue.ofObject(selected);
    }
    JsonNode node = selected.get(0);
    if (node.isNull()) {
      return QueryValue.ofNull();
    }
    if (node.isBoolean()) {
      return QueryValue.ofBool(TriState.of(node.booleanValue()));
    }
    if (node.isNumber()) {
      return QueryValue.ofDoubleKeepingNaN(node.doubleValue());
    }
    if (node.isTextual()) {
      String text = node.textValue();
      return isJsonNetDate(text) ? QueryValue.ofObject(text) : QueryValue.ofString(text);
    }
    return QueryValue.ofObject(node);
  }

  private static final Pattern MICROSOFT_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

  /**
   * Tells whether Json.NET's default {@code DateParseHandling.DateTime} turns this JSON string
   * into a date: an ISO 8601 date-time ({@code DateTimeUtils.TryParseDateTimeIso}) or {@code
   * /Date(ticks)/}.
   */
  static boolean isJsonNetDate(String s) {
    if (s.isEmpty()) {
      return false;
    }
    if (s.charAt(0) == '/') {
      if (s.length() < 9 || !s.startsWith("/Date(") || !s.endsWith(")/")) {
        return false;
      }
      Matcher m = MICROSOFT_DATE.matcher(s);
      if (!m.matches()) {
        return false;
      }
      try {
        Long.parseLong(m.group(1));
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (s.length() < 19 || s.length() > 40 || !Character.isDigit(s.charAt(0)) || s.charAt(10) != 'T') {
      return false;
    }
    return new IsoDateParser(s).parse();
  }

  /** Json.NET's {@code DateTimeParser}: {@code yyyy-MM-ddTHH:mm:ss[.fffffff][Z|±HH[:mm]]}. */
  private static final class IsoDateParser {
    private final String text;
    private final int end;

    IsoDateParser(String text) {
      this.text = text;
      this.end = text.length();
    }

    private int digits(int start, int count) {
      if (start + count > end) {
        return -1;
      }
      int value = 0;
      for (int i = start; i < start + count; i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        value = value * 10 + (c - '0');
      }
      return value;
    }

    private boolean charAt(int i, char c) {
      return i < end && text.charAt(i) == c;
    }

    boolean parse() {
      int year = digits(0, 4);
      int month = digits(5, 2);
      int day = digits(8, 2);
      if (year < 1 || !charAt(4, '-') || month < 1 || month > 12 || !charAt(7, '-') || day < 1) {
        return false;
      }
      if (day > java.time.YearMonth.of(year, month).lengthOfMonth() || !charAt(10, 'T')) {
        return false;
      }
      int hour = digits(11, 2);
      int minute = digits(14, 2);
      int second = digits(17, 2);
      if (hour < 0 || hour > 24 || !charAt(13, ':') || minute < 0 || minute >= 60) {
        return false;
      }
      if (!charAt(16, ':') || second < 0 || second >= 60) {
        return false;
      }
      if (hour == 24 && (minute != 0 || second != 0)) {
        return false;
      }
      int start = 19;
      if (charAt(start, '.')) {
        long fraction = 0;
        int count = 0;
        while (++start < end && count < 7) {
          int digit = text.charAt(start) - '0';
          if (digit < 0 || digit > 9) {
            break;
          }
          fraction = fraction * 10 + digit;
          count++;
        }
        if (count == 0) {
          return false;
        }
        if (hour == 24 && fraction != 0) {
          return false;
        }
      }
      return parseZone(start);
    }

    private boolean parseZone(int start) {
      if (start < end) {
        char c = text.charAt(start);
        if (c == 'z' || c == 'Z') {
          start++;
        } else {
          if (start + 2 < end && digits(start + 1, 2) >= 0 && (c == '-' || c == '+')) {
            start += 3;
          }
          if (start < end) {
            if (charAt(start, ':')) {
              start += 1;
              if (start + 1 < end && digits(start, 2) >= 0) {
                start += 2;
              }
            } else if (start + 1 < end && digits(start, 2) >= 0) {
              start += 2;
            }
          }
        }
      }
      return start == end;
    }
  }
}
