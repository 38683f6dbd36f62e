package io.edgeai4j.routing;

/**
 * Token types of edgeHub's {@code GrammarLexer.g4}, in the lexer's rule order: when two rules
 * match equally long input, the one declared first wins.
 */
enum TokenType {
  LBRACE("'{'"),
  RBRACE("'}'"),
  SELECT("SELECT"),
  FROM("FROM"),
  WHERE("WHERE"),
  INTO("INTO"),
  STRING("a string"),
  UNTERMINATED_STRING("an unterminated string"),
  INTEGER("a number"),
  HEX("a hex number"),
  REAL("a number"),
  TRUE("true"),
  FALSE("false"),
  NULL("null"),
  UNDEFINED("undefined"),
  LPAREN("'('"),
  RPAREN("')'"),
  COMMA("','"),
  PLUS("'+'"),
  MINUS("'-'"),
  STAR("'*'"),
  SLASH("'/'"),
  PERCENT("'%'"),
  AND("AND"),
  OR("OR"),
  NOT("NOT"),
  EQ("'='"),
  NE1("'!='"),
  NE2("'<>'"),
  LE("'<='"),
  GE("'>='"),
  GT("'>'"),
  LT("'<'"),
  CONCAT("'||'"),
  COALESCE("'??'"),
  SYS_PROP("a $property"),
  ID("a name"),
  QUERY_PATH("a path"),
  WS("white space"),
  COMMENT("a comment"),
  UNKNOWN("an invalid character"),
  EOF("end of route");

  private final String description;

  TokenType(String description) {
    this.description = description;
  }

  /** Describes the token type for "expected ..." messages. */
  String description() {
    return description;
  }
}
