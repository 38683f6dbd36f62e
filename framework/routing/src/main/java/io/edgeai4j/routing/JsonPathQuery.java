package io.edgeai4j.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a {@code $body} path the way Json.NET's {@code JToken.SelectTokens} does, for the
 * paths edgeHub lets through: names separated by {@code .}, a leading {@code $}, {@code *}
 * wildcards, {@code [n]} and {@code [*]} indexers and {@code ['name']}. Anything else Json.NET
 * would reject, or that edgeHub's grammar cannot produce (slices, unions, filters, {@code ..}),
 * throws {@link PathException}, which makes the query undefined.
 */
final class JsonPathQuery {
  /** The path cannot be evaluated; the query is undefined. */
  static final class PathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PathException(String message) {
      super(message, null, false, false);
    }
  }

  private sealed interface Filter {}

  /** A property by name, or every property value when the name is null. */
  private record Field(String name) implements Filter {}

  /** An array element, or every element when the index is null. */
  private record Index(Integer index) implements Filter {}

  private final String path;
  private int position;
  private final List<Filter> filters = new ArrayList<>();

  private JsonPathQuery(String path) {
    this.path = path;
  }

  /** Selects the tokens a path matches, starting at {@code root}. */
  static List<JsonNode> select(JsonNode root, String path) {
    JsonPathQuery query = new JsonPathQuery(path);
    query.parseMain();
    List<JsonNode> current = List.of(root);
    for (Filter filter : query.filters) {
      current = apply(filter, current);
    }
    return current;
  }

  private void eatWhitespace() {
    while (position < path.length() && path.charAt(position) == ' ') {
      position++;
    }
  }

  private void parseMain() {
    int partStart = position;
    eatWhitespace();
    if (position == path.length()) {
      return;
    }
    if (path.charAt(position) == '$') {
      if (path.length() == 1) {
        return;
      }
      char c = path.charAt(position + 1);
      if (c == '.' || c == '[') {
        position++;
        partStart = position;
      }
    }
    if (!parsePath(partStart)) {
      int last = position;
      eatWhitespace();
      if (position < path.length()) {
        throw new PathException("Unexpected character while parsing path: " + path.charAt(last));
      }
    }
  }

  private void addMember(int partStart, int end, boolean scan, boolean trimEnd) {
    String member = path.substring(partStart, end);
    if (trimEnd) {
      member = member.stripTrailing();
    }
    if (scan) {
      throw new PathException("recursive descent '..' is not supported");
    }
    filters.add(new Field(member.equals("*") ? null : member));
  }

  /** Json.NET's {@code JPath.ParsePath}; returns whether the whole path was consumed. */
  private boolean parsePath(int partStart) {
    boolean scan = false;
    boolean followingIndexer = false;
    boolean followingDot = false;
    boolean ended = false;
    while (position < path.length() && !ended) {
      char c = path.charAt(position);
      switch (c) {
        case '[', '(' -> {
          if (position > partStart) {
            addMember(partStart, position, scan, false);
            scan = false;
          }
          parseIndexer(c);
          scan = false;
          position++;
          partStart = position;
          followingIndexer = true;
          followingDot = false;
        }
        case ']', ')', ' ' -> ended = true;
        case '.' -> {
          if (position > partStart) {
            addMember(partStart, position, scan, false);
            scan = false;
          }
          if (position + 1 < path.length() && path.charAt(position + 1) == '.') {
            scan = true;
            position++;
          }
          position++;
          partStart = position;
          followingIndexer = false;
          followingDot = true;
        }
        default -> {
          if (followingIndexer) {
            throw new PathException("Unexpected character following indexer: " + c);
          }
          position++;
        }
      }
    }
    boolean atPathEnd = position == path.length();
    if (position > partStart) {
      addMember(partStart, position, scan, true);
    } else if (followingDot && atPathEnd) {
      throw new PathException("Unexpected end while parsing path.");
    }
    return atPathEnd;
  }

  /** Json.NET's {@code ParseIndexer}, for {@code [n]}, {@code [*]} and {@code ['name']}. */
  private void parseIndexer(char open) {
    char close = open == '[' ? ']' : ')';
    position++;
    if (position >= path.length()) {
      throw new PathException("Path ended with open indexer.");
    }
    eatWhitespace();
    if (position >= path.length()) {
      throw new PathException("Path ended with open indexer.");
    }
    char first = path.charAt(position);
    if (first == '\'') {
      parseQuotedField(close);
    } else if (first == '?') {
      throw new PathException("filter expressions are not supported");
    } else {
      parseArrayIndexer(close);
    }
  }

  private void parseQuotedField(char close) {
    position++;
    StringBuilder name = new StringBuilder();
    while (position < path.length()) {
      char c = path.charAt(position);
      if (c == '\\' && position + 1 < path.length()) {
        position++;
        char escaped = path.charAt(position);
        switch (escaped) {
          case '\'', '"', '\\', '/' -> name.append(escaped);
          case 'b' -> name.append('\b');
          case 'f' -> name.append('\f');
          case 'n' -> name.append('\n');
          case 'r' -> name.append('\r');
          case 't' -> name.append('\t');
          case 'u' -> {
            if (position + 4 >= path.length()) {
              throw new PathException("Invalid escape sequence in path");
            }
            try {
              name.append((char) Integer.parseInt(path.substring(position + 1, position + 5), 16));
            } catch (NumberFormatException e) {
              throw new PathException("Invalid escape sequence in path");
            }
            position += 4;
          }
          default -> throw new PathException("Unknown escape character: \\" + escaped);
        }
        position++;
      } else if (c == '\'') {
        position++;
        eatWhitespace();
        if (position < path.length() && path.charAt(position) == close) {
          filters.add(new Field(name.toString()));
          return;
        }
        throw new PathException("unions of quoted names are not supported");
      } else {
        name.append(c);
        position++;
      }
    }
    throw new PathException("Path ended with an open string.");
  }

  private void parseArrayIndexer(char close) {
    int start = position;
    Integer end = null;
    while (position < path.length()) {
      char c = path.charAt(position);
      if (c == ' ') {
        end = position;
        eatWhitespace();
        continue;
      }
      if (c == close) {
        int length = (end != null ? end : position) - start;
        if (length == 0) {
          throw new PathException("Array index expected.");
        }
        try {
          filters.add(new Index(Integer.parseInt(path.substring(start, start + length))));
        } catch (NumberFormatException e) {
          throw new PathException("Invalid array index: " + path.substring(start, start + length));
        }
        return;
      }
      if (c == '*') {
        position++;
        eatWhitespace();
        if (position >= path.length() || path.charAt(position) != close) {
          throw new PathException("Unexpected character while parsing path indexer");
        }
        filters.add(new Index(null));
        return;
      }
      if (c == ',' || c == ':') {
        throw new PathException("array unions and slices are not supported");
      }
      if ((c < '0' || c > '9') && c != '-') {
        throw new PathException("Unexpected character while parsing path indexer: " + c);
      }
      if (end != null) {
        throw new PathException("Unexpected character while parsing path indexer: " + c);
      }
      position++;
    }
    throw new PathException("Path ended with open indexer.");
  }

  private static List<JsonNode> apply(Filter filter, List<JsonNode> current) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode token : current) {
      if (filter instanceof Field field) {
        if (token.isObject()) {
          if (field.name() == null) {
            token.forEach(out::add);
          } else if (token.has(field.name())) {
            out.add(token.get(field.name()));
          }
        }
      } else if (filter instanceof Index index && token.isArray()) {
        if (index.index() == null) {
          token.forEach(out::add);
        } else if (index.index() < 0) {
          // JArray's indexer throws ArgumentOutOfRangeException for a negative index.
          throw new PathException("Index was out of range: " + index.index());
        } else if (index.index() < token.size()) {
          out.add(token.get(index.index()));
        }
      }
    }
    return out;
  }
}
