package io.edgeai4j.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * edgeHub's check of {@code $body} and {@code twin_change_includes} paths ({@code JsonPath.g4},
 * {@code JsonPathValidator}, {@code TwinChangeJsonPathValidator}).
 *
 * <p>The grammar is {@code innerExpr ('.' innerExpr)*} with {@code innerExpr : IDENTIFIER |
 * IDENTIFIER '[' INT ']'}. Like edgeHub's ANTLR parser it has no end-of-input rule, so text after
 * a valid prefix is not checked here; it is left to the path evaluator, which then fails at run
 * time and makes the query undefined. Characters that no token matches are dropped, as ANTLR's
 * lexer does.
 */
final class JsonPathSyntax {
  private JsonPathSyntax() {}

  private static final List<String> TWIN_PREFIXES =
      List.of("properties.reported.", "properties.desired.", "tags.");

  private enum Kind {
    DOT,
    OPEN,
    CLOSE,
    INT,
    IDENTIFIER,
    EOF
  }

  private record Item(Kind kind, String text) {}

  /**
   * Checks a path.
   *
   * @return {@code null} if valid, else what is wrong.
   */
  static String check(String path) {
    List<Item> items = tokenize(path);
    int i = 0;
    while (true) {
      if (items.get(i).kind() != Kind.IDENTIFIER) {
        return "expected a name but found " + describe(items.get(i));
      }
      i++;
      if (items.get(i).kind() == Kind.OPEN) {
        i++;
        if (items.get(i).kind() != Kind.INT) {
          return "expected an array index but found " + describe(items.get(i));
        }
        i++;
        if (items.get(i).kind() != Kind.CLOSE) {
          return "expected ']' but found " + describe(items.get(i));
        }
        i++;
      }
      if (items.get(i).kind() != Kind.DOT) {
        return null;
      }
      i++;
    }
  }

  /**
   * Checks a {@code twin_change_includes} path: a valid path that starts with {@code
   * properties.reported.}, {@code properties.desired.} or {@code tags.} (any case).
   *
   * @return {@code null} if valid, else what is wrong.
   */
  static String checkTwinChange(String path) {
    String problem = check(path);
    if (problem != null) {
      return problem;
    }
    for (String prefix : TWIN_PREFIXES) {
      if (path.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return null;
      }
    }
    return "'" + path + "' is not supported; supported prefixes: " + String.join(", ", TWIN_PREFIXES);
  }

  private static String describe(Item item) {
    return item.kind() == Kind.EOF ? "end of path" : "'" + item.text() + "'";
  }

  /** Identifier characters: anything but {@code ()<>@,;:\"/[]?={}.}, tab, CR and LF. */
  private static boolean isIdentifierChar(char c) {
    return switch (c) {
      case '(', ')', '<', '>', '@', ',', ';', ':', '\\', '"', '/', '[', ']', '?', '=', '{', '}',
          '.', '\t', '\n', '\r' -> false;
      default -> true;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static List<Item> tokenize(String path) {
    List<Item> items = new ArrayList<>();
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.' || c == '[' || c == ']') {
        items.add(new Item(c == '.' ? Kind.DOT : c == '[' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c)));
        i++;
      } else if (isIdentifierChar(c)) {
        int digits = i;
        while (digits < path.length() && isDigit(path.charAt(digits))) {
          digits++;
        }
        int end = i;
        while (end < path.length() && isIdentifierChar(path.charAt(end))) {
          end++;
        }
        // INT is declared before IDENTIFIER, so it wins a tie.
        Kind kind = digits == end ? Kind.INT : Kind.IDENTIFIER;
        items.add(new Item(kind, path.substring(i, end)));
        i = end;
      } else {
        // Tab, CR and LF are skipped white space; other characters are lexer errors, dropped.
        i++;
      }
    }
    items.add(new Item(Kind.EOF, ""));
    return items;
  }
}
