package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deployment metric query in the subset of IoT Hub's query language that {@code edge model publish} writes:
 * {@code SELECT deviceId FROM devices.modules WHERE <condition>}, the condition made of comparisons
 * ({@code = != <> < > <= >=}) of an attribute path with a constant (string in single or double quotes, number,
 * {@code true}, {@code false}, {@code null}), {@code AND}, {@code OR}, {@code NOT} and parentheses. An attribute
 * segment that is not an identifier is written {@code [[name]]} (e.g. {@code models.[[fault-classifier]]}).
 *
 * <p>Parsing checks that a query is well formed and gives the attribute paths it reads; {@link #matches} evaluates
 * it on a module twin document as IoT Hub does (a missing attribute is undefined, and a comparison with undefined is
 * not true). Immutable and thread-safe.
 */
final class MetricQuery {
  private static final String PREFIX = "SELECT deviceId FROM devices.modules WHERE";

  private final String text;
  private final Node condition;
  private final List<List<String>> attributes;

  private MetricQuery(String text, Node condition, List<List<String>> attributes) {
    this.text = text;
    this.condition = condition;
    this.attributes = List.copyOf(attributes);
  }

  /**
   * Parses a metric query.
   *
   * @throws IllegalArgumentException Naming the position, what was found and what was expected.
   */
  static MetricQuery parse(String text) {
    if (!text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || (text.length() > PREFIX.length() && !Character.isWhitespace(text.charAt(PREFIX.length())))) {
      throw new IllegalArgumentException("expected the query to start with '" + PREFIX + " ', found '"
          + text.substring(0, Math.min(text.length(), PREFIX.length() + 1)) + "'");
    }
    Parser parser = new Parser(text, PREFIX.length());
    Node condition = parser.or();
    parser.skipSpace();
    if (parser.pos < text.length()) {
      throw parser.error("the end of the query");
    }
    return new MetricQuery(text, condition, parser.attributes);
  }

  /** The query as written. */
  String text() {
    return text;
  }

  /** Every attribute path the condition reads, in order, e.g. {@code [properties, reported, models, m, state]}. */
  List<List<String>> attributes() {
    return attributes;
  }

  /** True when the module twin document ({@code {"deviceId", "moduleId", "properties": ...}}) is selected. */
  boolean matches(JsonNode moduleTwin) {
    return condition.eval(moduleTwin) == Boolean.TRUE;
  }

  @Override
  public String toString() {
    return text;
  }

  /** A condition node; {@code eval} answers TRUE, FALSE or null (undefined). */
  private interface Node {
    Boolean eval(JsonNode twin);
  }

  private static final class Parser {
    final String text;
    int pos;
    final List<List<String>> attributes = new ArrayList<>();

    Parser(String text, int pos) {
      this.text = text;
      this.pos = pos;
    }

    Node or() {
      Node left = and();
      while (keyword("OR")) {
        Node l = left;
        Node r = and();
        left = twin -> {
          Boolean a = l.eval(twin);
          Boolean b = r.eval(twin);
          return a == Boolean.TRUE || b == Boolean.TRUE ? Boolean.TRUE
              : a == null || b == null ? null : Boolean.FALSE;
        };
      }
      return left;
    }

    Node and() {
      Node left = unary();
      while (keyword("AND")) {
        Node l = left;
        Node r = unary();
        left = twin -> {
          Boolean a = l.eval(twin);
          Boolean b = r.eval(twin);
          return a == Boolean.FALSE || b == Boolean.FALSE ? Boolean.FALSE
              : a == null || b == null ? null : Boolean.TRUE;
        };
      }
      return left;
    }

    Node unary() {
      if (keyword("NOT")) {
        Node inner = unary();
        return twin -> {
          Boolean v = inner.eval(twin);
          return v == null ? null : !v;
        };
      }
      skipSpace();
      if (peek('(')) {
        pos++;
        Node inner = or();
        skipSpace();
        if (!peek(')')) {
          throw error("')'");
        }
        pos++;
        return inner;
      }
      return comparison();
    }

    Node comparison() {
      List<String> path = attribute();
      attributes.add(path);
      skipSpace();
      String op = operator();
      JsonNode constant = constant();
      return twin -> compare(lookup(twin, path), op, constant);
    }

    List<String> attribute() {
      skipSpace();
      List<String> path = new ArrayList<>();
      do {
        if (text.startsWith("[[", pos)) {
          int end = text.indexOf("]]", pos + 2);
          if (end < 0 || end == pos + 2) {
            throw error("a name and ']]' after '[['");
          }
          path.add(text.substring(pos + 2, end));
          pos = end + 2;
        } else {
          int start = pos;
          if (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_'
              || text.charAt(pos) == '$')) {
            pos++;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
              pos++;
            }
          }
          if (start == pos) {
            throw error("an attribute name (a letter or '_' first, or [[name]])");
          }
          path.add(text.substring(start, pos));
        }
      } while (peek('.') && ++pos > 0);
      return path;
    }

    String operator() {
      for (String op : new String[] {"<=", ">=", "<>", "!=", "=", "<", ">"}) {
        if (text.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      throw error("a comparison operator (= != <> < > <= >=)");
    }

    JsonNode constant() {
      skipSpace();
      if (peek('\'') || peek('"')) {
        char quote = text.charAt(pos);
        StringBuilder value = new StringBuilder();
        int i = pos + 1;
        while (i < text.length() && text.charAt(i) != quote) {
          char c = text.charAt(i);
          if (c == '\\' && i + 1 < text.length()) {
            char next = text.charAt(i + 1);
            if (next == 'u' && i + 5 < text.length()) {
              value.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
              i += 6;
              continue;
            }
            value.append(next);
            i += 2;
            continue;
          }
          value.append(c);
          i++;
        }
        if (i >= text.length()) {
          throw error("a closing " + quote);
        }
        pos = i + 1;
        return TextNode.valueOf(value.toString());
      }
      int start = pos;
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
          || text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
        pos++;
      }
      String word = text.substring(start, pos);
      switch (word.toLowerCase(Locale.ROOT)) {
        case "true":
          return BooleanNode.TRUE;
        case "false":
          return BooleanNode.FALSE;
        case "null":
          return NullNode.instance;
        default:
          try {
            return DecimalNode.valueOf(new BigDecimal(word));
          } catch (NumberFormatException e) {
            pos = start;
            throw error("a constant (a quoted string, a number, true, false or null)");
          }
      }
    }

    boolean keyword(String word) {
      skipSpace();
      int end = pos + word.length();
      if (text.regionMatches(true, pos, word, 0, word.length())
          && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
        pos = end;
        return true;
      }
      return false;
    }

    boolean peek(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error(String expected) {
      String found = pos >= text.length() ? "the end of the query"
          : "'" + text.substring(pos, Math.min(text.length(), pos + 20)) + "'";
      return new IllegalArgumentException("at character " + (pos + 1) + ": expected " + expected + ", found "
          + found);
    }
  }

  private static JsonNode lookup(JsonNode twin, List<String> path) {
    JsonNode node = twin;
    for (String segment : path) {
      node = node == null || !node.isObject() ? null : node.get(segment);
    }
    return node;
  }

  private static Boolean compare(JsonNode value, String op, JsonNode constant) {
    if (value == null) {
      return null;
    }
    int order;
    if (value.isNumber() && constant.isNumber()) {
      order = value.decimalValue().compareTo(constant.decimalValue());
    } else if (value.isTextual() && constant.isTextual()) {
      order = value.asText().compareTo(constant.asText());
    } else if (op.equals("=") || op.equals("!=") || op.equals("<>")) {
      order = value.equals(constant) ? 0 : 1;
    } else {
      return null;
    }
    switch (op) {
      case "=":
        return order == 0;
      case "!=":
      case "<>":
        return order != 0;
      case "<":
        return order < 0;
      case ">":
        return order > 0;
      case "<=":
        return order <= 0;
      default:
        return order >= 0;
    }
  }
}
