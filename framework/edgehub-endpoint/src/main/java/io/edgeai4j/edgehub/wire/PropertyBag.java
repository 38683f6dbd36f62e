package io.edgeai4j.edgehub.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code k=v&k=v} property bag at the end of a module topic. {@link #encode} escapes keys and values as .NET's
 * {@code Uri.EscapeDataString} does (what edgeHub's {@code UrlEncodedDictionarySerializer} writes: only
 * {@code A-Z a-z 0-9 - . _ ~} stay as they are, {@code $} becomes {@code %24}, a space {@code %20}, {@code +}
 * {@code %2B}); {@link #decode} reads what any SDK writes as edgeHub reads it ({@code Uri.UnescapeDataString}): keys
 * raw ({@code $.mid}) or encoded ({@code %24.mid}), {@code %XX} escapes decoded as UTF-8, {@code +} kept as it is
 * (the Java SDK writes a space as {@code %20} for that reason), a key without a value ({@code k} or {@code k=}) as a
 * null value. Stateless.
 */
public final class PropertyBag {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PropertyBag() {}

  /**
   * Writes a bag in the map's order; a null value is written as the key alone, an empty one as {@code k=}.
   *
   * @param entries The keys and values.
   * @return The bag, empty for an empty map.
   */
  public static String encode(Map<String, String> entries) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (out.length() > 0) {
        out.append('&');
      }
      escape(e.getKey(), out);
      if (e.getValue() != null) {
        out.append('=');
        escape(e.getValue(), out);
      }
    }
    return out.toString();
  }

  /**
   * Escapes one key or value as {@code Uri.EscapeDataString} does (UTF-8, upper-case hex).
   *
   * @param text The text.
   * @return The escaped text.
   */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    escape(text, out);
    return out.toString();
  }

  private static void escape(String text, StringBuilder out) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
  }

  /**
   * Reads a bag: {@code &}-separated entries, keys and values percent-decoded (UTF-8; {@code +} stays a plus, as in
   * edgeHub), a key without a value ({@code k} or {@code k=}) with a null value, empty entries (a trailing {@code &}
   * skipped; the last of repeated keys wins. As in edgeHub, the bag ends at the first raw {@code /}.
   *
   * @param bag The bag, without the topic before it; a trailing {@code /} is allowed.
   * @return The entries in the bag's order.
   * @throws WireFormatException If an entry has an empty key, a raw {@code =} in its value or a bad {@code %}
   *     escape.
   */
  public static Map<String, String> decode(String bag) {
    int slash = bag.indexOf('/');
    String text = slash >= 0 ? bag.substring(0, slash) : bag;
    if (text.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, String> entries = new LinkedHashMap<>();
    for (String entry : text.split("&", -1)) {
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String key = unescape(eq < 0 ? entry : entry.substring(0, eq), entry);
      if (key.isEmpty()) {
        throw new WireFormatException("property bag entry '" + entry + "' has an empty key; expected key=value");
      }
      if (eq >= 0 && entry.indexOf('=', eq + 1) >= 0) {
        throw new WireFormatException("property bag entry '" + entry + "' has a second '='; expected key=value"
            + " with '=' in a value escaped as %3D");
      }
      String value = eq < 0 || eq == entry.length() - 1 ? null : unescape(entry.substring(eq + 1), entry);
      entries.put(key, value);
    }
    return entries;
  }

  private static String unescape(String text, String entry) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw new WireFormatException("property bag entry '" + entry + "' has a bad escape at '"
              + text.substring(i, Math.min(text.length(), i + 3)) + "'; expected % and two hex digits");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          utf8 = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(utf8);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
