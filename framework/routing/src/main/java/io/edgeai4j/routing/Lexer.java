package io.edgeai4j.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexer of edgeHub's {@code GrammarLexer.g4}, written out by hand.
 *
 * <p>Like the ANTLR lexer it replaces, it takes the longest match of any rule at each position and
 * breaks ties by rule order ({@link TokenType} order). The consequences are edgeHub's: a name may
 * contain {@code - + * . ! | & ' $} and digits, so {@code a-b}, {@code 3+4}, {@code -key} and
 * {@code 'a'||'b'} are single names, while {@code 3 + 4} is an addition; keywords and {@code
 * AND/OR/NOT} are case-insensitive but {@code true false null undefined} are lower-case only.
 * White space and {@code /* comments *}{@code /} are dropped.
 */
final class Lexer {
  private final String text;

  private Lexer(String text) {
    this.text = text;
  }

  /** Splits route or condition text into tokens, ending with an {@link TokenType#EOF} token. */
  static List<Token> tokenize(String text) {
    return new Lexer(text).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    int position = 0;
    while (position < text.length()) {
      TokenType bestType = TokenType.UNKNOWN;
      int bestLength = 1;
      for (TokenType type : TokenType.values()) {
        if (type == TokenType.EOF || type == TokenType.UNKNOWN) {
          continue;
        }
        int length = match(type, position);
        if (length > bestLength || (length == bestLength && type.ordinal() < bestType.ordinal())) {
          bestType = type;
          bestLength = length;
        }
      }
      if (bestType != TokenType.WS && bestType != TokenType.COMMENT) {
        tokens.add(
            new Token(
                bestType,
                text.substring(position, position + bestLength),
                position,
                position + bestLength));
      }
      position += bestLength;
    }
    tokens.add(new Token(TokenType.EOF, "", text.length(), text.length()));
    return tokens;
  }

  private char at(int i) {
    return i < text.length() ? text.charAt(i) : '\0';
  }

  private boolean has(int i) {
    return i < text.length();
  }

  /** Returns how many characters rule {@code type} matches at {@code i}, 0 if none. */
  private int match(TokenType type, int i) {
    return switch (type) {
      case LBRACE -> single(i, '{');
      case RBRACE -> single(i, '}');
      case SELECT -> keyword(i, "select");
      case FROM -> keyword(i, "from");
      case WHERE -> keyword(i, "where");
      case INTO -> keyword(i, "into");
      case STRING -> string(i, true);
      case UNTERMINATED_STRING -> string(i, false);
      case INTEGER -> integer(i);
      case HEX -> hex(i);
      case REAL -> real(i);
      case TRUE -> exact(i, "true");
      case FALSE -> exact(i, "false");
      case NULL -> exact(i, "null");
      case UNDEFINED -> exact(i, "undefined");
      case LPAREN -> single(i, '(');
      case RPAREN -> single(i, ')');
      case COMMA -> single(i, ',');
      case PLUS -> single(i, '+');
      case MINUS -> single(i, '-');
      case STAR -> single(i, '*');
      case SLASH -> single(i, '/');
      case PERCENT -> single(i, '%');
      case AND -> keyword(i, "and");
      case OR -> keyword(i, "or");
      case NOT -> keyword(i, "not");
      case EQ -> single(i, '=');
      case NE1 -> exact(i, "!=");
      case NE2 -> exact(i, "<>");
      case LE -> exact(i, "<=");
      case GE -> exact(i, ">=");
      case GT -> single(i, '>');
      case LT -> single(i, '<');
      case CONCAT -> exact(i, "||");
      case COALESCE -> exact(i, "??");
      case SYS_PROP -> at(i) == '$' && has(i + 1) ? sysProp(i) : 0;
      case ID -> run(i, false);
      case QUERY_PATH -> run(i, true);
      case WS -> whiteSpace(i);
      case COMMENT -> comment(i);
      case UNKNOWN, EOF -> 0;
    };
  }

  private int single(int i, char c) {
    return has(i) && text.charAt(i) == c ? 1 : 0;
  }

  private int exact(int i, String word) {
    return text.startsWith(word, i) ? word.length() : 0;
  }

  private int keyword(int i, String word) {
    return DotNet.equalsAsciiIgnoreCase(text, i, word) ? word.length() : 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Characters that end a name: {@code ()<>@,;:\"/[]?={}}, space, tab, CR and LF. */
  static boolean isNameChar(char c, boolean allowBrackets) {
    switch (c) {
      case '(', ')', '<', '>', '@', ',', ';', ':', '\\', '"', '/', '?', '=', '{', '}', ' ', '\t',
          '\n', '\r' -> {
        return false;
      }
      case '[', ']' -> {
        return allowBrackets;
      }
      default -> {
        return true;
      }
    }
  }

  private int run(int i, boolean allowBrackets) {
    int j = i;
    while (has(j) && isNameChar(text.charAt(j), allowBrackets)) {
      j++;
    }
    return j - i;
  }

  private int sysProp(int i) {
    int length = run(i + 1, true);
    return length == 0 ? 0 : length + 1;
  }

  private int whiteSpace(int i) {
    int j = i;
    while (has(j) && (at(j) == ' ' || at(j) == '\t' || at(j) == '\r' || at(j) == '\n')) {
      j++;
    }
    return j - i;
  }

  private int comment(int i) {
    if (!text.startsWith("/*", i)) {
      return 0;
    }
    int close = text.indexOf("*/", i + 2);
    return close < 0 ? 0 : close + 2 - i;
  }

  /**
   * Matches {@code STRING} ({@code terminated}) or {@code UNTERMINATED_STRING}: a quote, then
   * characters other than that quote and backslash, or the escapes {@code \" \' \\ \\uXXXX}.
   */
  private int string(int i, boolean terminated) {
    char quote = at(i);
    if (!has(i) || (quote != '"' && quote != '\'')) {
      return 0;
    }
    int j = i + 1;
    while (has(j)) {
      char c = text.charAt(j);
      if (c == quote) {
        return terminated ? j + 1 - i : j - i;
      }
      if (c == '\\') {
        char next = at(j + 1);
        if (has(j + 1) && (next == '"' || next == '\'' || next == '\\')) {
          j += 2;
        } else if (has(j + 5)
            && next == 'u'
            && isHexDigit(at(j + 2))
            && isHexDigit(at(j + 3))
            && isHexDigit(at(j + 4))
            && isHexDigit(at(j + 5))) {
          j += 6;
        } else {
          break;
        }
      } else {
        j++;
      }
    }
    return terminated ? 0 : j - i;
  }

  private int digits(int i) {
    int j = i;
    while (has(j) && isDigit(text.charAt(j))) {
      j++;
    }
    return j - i;
  }

  /** {@code '-'? [0-9]+}. */
  private int integer(int i) {
    int sign = at(i) == '-' && has(i) ? 1 : 0;
    int digits = digits(i + sign);
    return digits == 0 ? 0 : sign + digits;
  }

  /** {@code '0' [Xx] HEX_DIGIT+}. */
  private int hex(int i) {
    if (at(i) != '0' || (at(i + 1) != 'x' && at(i + 1) != 'X')) {
      return 0;
    }
    int j = i + 2;
    while (has(j) && isHexDigit(text.charAt(j))) {
      j++;
    }
    return j == i + 2 ? 0 : j - i;
  }

  /** {@code [Ee] [+-]? [0-9]+}. */
  private int exponent(int i) {
    if (at(i) != 'e' && at(i) != 'E') {
      return 0;
    }
    int sign = at(i + 1) == '+' || at(i + 1) == '-' ? 1 : 0;
    int digits = digits(i + 1 + sign);
    return digits == 0 ? 0 : 1 + sign + digits;
  }

  /** {@code '-'? [0-9]* '.' [0-9]+ EXP?} or {@code '-'? [0-9]* EXP}. */
  private int real(int i) {
    int j = i + (at(i) == '-' ? 1 : 0);
    j += digits(j);
    int best = 0;
    if (at(j) == '.' && has(j)) {
      int fraction = digits(j + 1);
      if (fraction > 0) {
        int end = j + 1 + fraction;
        best = end + exponent(end) - i;
      }
    }
    int exponent = exponent(j);
    if (exponent > 0) {
      best = Math.max(best, j + exponent - i);
    }
    return best;
  }
}
