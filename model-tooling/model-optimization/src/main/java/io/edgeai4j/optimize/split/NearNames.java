package io.edgeai4j.optimize.split;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The names nearest a misspelt one, for error messages. Stateless. */
final class NearNames {
  private NearNames() {}

  /**
   * Up to {@code limit} of {@code names}: first those that hold {@code wanted} or that it holds ({@code pool2} and
   * {@code pool2.out}), then by edit distance, then alphabetically; case-insensitive.
   */
  static List<String> nearest(Collection<String> names, String wanted, int limit) {
    return names.stream().distinct()
        .sorted(Comparator.comparing((String s) -> !contains(s, wanted)).thenComparingInt(s -> distance(s, wanted))
            .thenComparing(s -> s))
        .limit(limit).toList();
  }

  private static boolean contains(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    return x.contains(y) || y.contains(x);
  }

  /** Levenshtein distance, case-insensitive. */
  static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] row = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int above = row[j];
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1),
            diagonal + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[y.length()];
  }
}
