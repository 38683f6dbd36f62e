package io.edgeai4j.routing;

import java.util.List;

/** The syntax tree of a condition, as the parser builds it and before types are checked. */
sealed interface Node {
  /** The token that positions errors about this node. */
  Token token();

  /** A literal: a string, number, {@code true}, {@code false}, {@code null} or {@code undefined}. */
  record Literal(Token token) implements Node {}

  /** A bare name: an application property, e.g. {@code temperature}. */
  record Property(Token token) implements Node {}

  /** {@code $name}: an application property named {@code $name}, else a system property. */
  record SysProperty(Token token) implements Node {}

  /** <code>{$name}</code>: always the system property (or {@code $body} query). */
  record EscapedSysProperty(Token token) implements Node {}

  /**
   * A function call.
   *
   * @param token The function name.
   * @param args The arguments.
   * @param argsText The arguments' tokens concatenated without white space, as ANTLR's {@code
   *     GetText()} gives them; {@code twin_change_includes} reads its path from this text.
   */
  record Call(Token token, List<Node> args, String argsText) implements Node {}

  /** {@code -x} or {@code NOT x}. */
  record Unary(Token token, Node operand) implements Node {}

  /** A binary operation; the token is the operator. */
  record Binary(Token token, Node left, Node right) implements Node {}

  /** The empty condition, which edgeHub evaluates to undefined. */
  record Empty(Token token) implements Node {}
}
