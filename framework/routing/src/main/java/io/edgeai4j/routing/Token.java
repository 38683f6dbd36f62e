package io.edgeai4j.routing;

/**
 * A token of the route language.
 *
 * @param type The token type.
 * @param text The exact source text.
 * @param start The 0-based offset of the first character in the route text.
 * @param end The offset just after the last character.
 */
record Token(TokenType type, String text, int start, int end) {
  /** Describes the token for an error message: its text in quotes, or "end of route". */
  String describe() {
    return switch (type) {
      case EOF -> "end of route";
      case STRING -> "string " + text;
      case UNTERMINATED_STRING -> "an unterminated string " + text;
      default -> "'" + text + "'";
    };
  }
}
