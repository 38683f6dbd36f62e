package io.edgeai4j.cli.model.trt;

import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape options of {@code edge model convert --to tensorrt}, in trtexec's syntax: {@code --shapes} fixes inputs
 * ({@code image:1x1x28x28,mask:1x28}); {@code --min-shapes}, {@code --opt-shapes} and {@code --max-shapes} give each
 * dynamic input a range (all three for each such input). An input name may be quoted ({@code 'input:0':1x3}), as
 * trtexec allows for names holding a colon. Stateless.
 */
public final class ShapeOptions {
  private ShapeOptions() {}

  /**
   * One profile per input named.
   *
   * @param shapes {@code --shapes}, or null.
   * @param min {@code --min-shapes}, or null; likewise {@code opt} and {@code max}.
   * @throws IllegalArgumentException Naming the option and the entry: a malformed entry, an input in
   *     {@code --shapes} and in a range, an input missing from one of the three range options, a range that does
   *     not hold {@code min <= opt <= max}.
   */
  public static List<ShapeProfile> parse(String shapes, String min, String opt, String max) {
    Map<String, long[]> fixed = entries("--shapes", shapes);
    Map<String, long[]> lows = entries("--min-shapes", min);
    Map<String, long[]> typical = entries("--opt-shapes", opt);
    Map<String, long[]> highs = entries("--max-shapes", max);
    Set<String> ranged = new LinkedHashSet<>();
    ranged.addAll(lows.keySet());
    ranged.addAll(typical.keySet());
    ranged.addAll(highs.keySet());
    List<ShapeProfile> profiles = new ArrayList<>();
    for (Map.Entry<String, long[]> e : fixed.entrySet()) {
      if (ranged.contains(e.getKey())) {
        throw new IllegalArgumentException("input '" + e.getKey() + "' is in --shapes (a fixed shape) and in"
            + " --min/--opt/--max-shapes (a range); give one or the other");
      }
      profiles.add(ShapeProfile.fixed(e.getKey(), e.getValue()));
    }
    for (String input : ranged) {
      List<String> missing = new ArrayList<>();
      if (!lows.containsKey(input)) {
        missing.add("--min-shapes");
      }
      if (!typical.containsKey(input)) {
        missing.add("--opt-shapes");
      }
      if (!highs.containsKey(input)) {
        missing.add("--max-shapes");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("input '" + input + "' has a range but is missing from "
            + String.join(", ", missing) + "; a dynamic input needs --min-shapes, --opt-shapes and --max-shapes");
      }
      profiles.add(new ShapeProfile(input, lows.get(input), typical.get(input), highs.get(input)));
    }
    return profiles;
  }

  private static Map<String, long[]> entries(String option, String text) {
    Map<String, long[]> entries = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return entries;
    }
    for (String entry : split(option, text)) {
      int colon = nameEnd(option, entry);
      String name = unquote(entry.substring(0, colon));
      String dims = entry.substring(colon + 1);
      if (name.isEmpty()) {
        throw new IllegalArgumentException(option + ": entry '" + entry + "' has no input name; expected"
            + " NAME:DxDx... e.g. image:1x1x28x28");
      }
      long[] shape = dims(option, entry, dims);
      if (entries.put(name, shape) != null) {
        throw new IllegalArgumentException(option + ": input '" + name + "' is given twice");
      }
    }
    return entries;
  }

  /** Splits at commas outside quotes. */
  private static List<String> split(String option, String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        parts.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException(option + ": unbalanced quote in '" + text + "'");
    }
    parts.add(current.toString().trim());
    return parts;
  }

  /** The colon between name and dimensions: the last one outside quotes. */
  private static int nameEnd(String option, String entry) {
    boolean quoted = false;
    int colon = -1;
    for (int i = 0; i < entry.length(); i++) {
      char c = entry.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == ':' && !quoted) {
        colon = i;
      }
    }
    if (colon < 0) {
      throw new IllegalArgumentException(option + ": entry '" + entry + "' has no ':'; expected NAME:DxDx..."
          + " e.g. image:1x1x28x28");
    }
    return colon;
  }

  private static String unquote(String name) {
    String n = name.trim();
    return n.length() >= 2 && n.startsWith("'") && n.endsWith("'") ? n.substring(1, n.length() - 1) : n;
  }

  private static long[] dims(String option, String entry, String text) {
    String[] parts = text.trim().split("x", -1);
    long[] dims = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        dims[i] = Long.parseLong(parts[i].trim());
      } catch (NumberFormatException e) {
        dims[i] = -1;
      }
      if (dims[i] < 1) {
        throw new IllegalArgumentException(option + ": entry '" + entry + "': dimension '" + parts[i]
            + "' is not a positive integer; expected NAME:DxDx... e.g. image:1x1x28x28");
      }
    }
    return dims;
  }
}
