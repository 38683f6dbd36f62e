package io.edgeai4j.module;

import java.util.Collection;
import java.util.Locale;

/**
 * What binding the desired properties does with a key the configuration type does not know; chosen per
 * module with {@link ModuleContext#bindDesiredProperties(Class, UnknownKeys, DesiredPropertiesListener)}.
 */
public enum UnknownKeys {
  /**
   * The default: the key is ignored, the rest of the document applies, and the reported property
   * {@code configurationStatus.warnings} names the key by its JSON pointer (e.g.
   * {@code /sensors/vibration/windw}) with the nearest known key when one is close. Fleets roll out
   * configuration and images at different times, so a deployment may add a key before a module's image
   * knows it; an old module keeps taking configuration.
   */
  WARN,
  /**
   * The document is refused, as any document that does not bind: the previous configuration stays and
   * {@code configurationStatus.error} names the key. For modules where a misspelt key must never go
   * unnoticed (e.g. a safety limit).
   */
  REFUSE;

  /**
   * Describes an ignored key for a warning, after its pointer: {@code "unknown key, ignored"}, and
   * {@code "; did you mean 'window'?"} when a known key is close (equal ignoring case, or within an edit distance
   * of one for keys of up to five characters, two for longer ones). The host's warnings use it; so should a
   * module's own ({@link ModuleContext#warnDesiredProperty}), so that all read alike.
   *
   * @param key The unknown key.
   * @param knownKeys The keys known at that place, or null.
   * @return The description.
   */
  public static String ignored(String key, Collection<?> knownKeys) {
    String nearest = nearest(key, knownKeys);
    return "unknown key, ignored" + (nearest == null ? "" : "; did you mean '" + nearest + "'?");
  }

  /**
   * The known key nearest to {@code key}: equal ignoring case, or within an edit distance of one for keys of
   * up to five characters and two for longer ones; null when none is that close. Ties go to the first in
   * alphabetical order.
   */
  private static String nearest(String key, Collection<?> known) {
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
