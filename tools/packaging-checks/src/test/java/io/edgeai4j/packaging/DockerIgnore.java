package io.edgeai4j.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A .dockerignore file: decides whether a path of the build context is sent to the builder. As Docker does, the
 * last pattern that matches the path, or a folder above it, wins; {@code !} re-includes.
 *
 * @param rules The patterns in order.
 */
record DockerIgnore(List<Rule> rules) {
  /** One pattern; {@code include} for a {@code !} pattern. */
  record Rule(Pattern pattern, boolean include) {}

  DockerIgnore {
    rules = List.copyOf(rules);
  }

  /** Parses the file's text. */
  static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean include = line.startsWith("!");
      String glob = include ? line.substring(1).strip() : line;
      while (glob.startsWith("/")) {
        glob = glob.substring(1);
      }
      while (glob.endsWith("/")) {
        glob = glob.substring(0, glob.length() - 1);
      }
      rules.add(new Rule(Pattern.compile(toRegex(glob)), include));
    }
    return new DockerIgnore(rules);
  }

  /** Returns whether a context path (relative, '/'-separated) reaches the builder. */
  boolean sends(String path) {
    boolean sent = true;
    for (Rule rule : rules) {
      if (matchesItselfOrParent(rule.pattern(), path)) {
        sent = rule.include();
      }
    }
    return sent;
  }

  private static boolean matchesItselfOrParent(Pattern pattern, String path) {
    String candidate = path;
    while (true) {
      if (pattern.matcher(candidate).matches()) {
        return true;
      }
      int slash = candidate.lastIndexOf('/');
      if (slash < 0) {
        return false;
      }
      candidate = candidate.substring(0, slash);
    }
  }

  private static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
