package io.edgeai4j.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for edgeHub's {@code Route.g4} and {@code Condition.g4}.
 *
 * <p>It accepts what edgeHub's ANTLR parser accepts, including edgeHub's quirks: the grammar has
 * no end-of-input rule, so anything after the sink is ignored; operator precedence is ANTLR's
 * (prefix {@code -} and {@code NOT} bind tightest, then {@code * / %}, {@code + - ||}, {@code < <=
 * > >=}, {@code = != <>}, {@code AND}, {@code OR}, {@code ??}, all left-associative); path
 * segments are names or {@code *}, so keywords, numbers and {@code $names} cannot be segments.
 */
final class Parser {
  /** What the route parser found, before the condition is type-checked. */
  record ParsedRoute(
      MessageSource source, Node condition, String conditionText, Sink sink) {}

  /** How deeply parentheses, prefix operators and calls may nest. */
  private static final int MAX_NESTING = 200;

  private final String text;
  private final List<Token> tokens;
  private int index;
  private int nesting;
  private int parentheses;

  private Parser(String text) {
    this.text = text;
    this.tokens = Lexer.tokenize(text);
  }

  /** Parses a whole route; the condition is {@code null} when there is no {@code WHERE}. */
  static ParsedRoute parseRoute(String text) throws RouteException {
    return new Parser(text).route();
  }

  /**
   * Parses condition text on its own, as edgeHub's {@code RouteCompiler} re-parses the text it cut
   * out of a route: an empty condition is {@link Node.Empty}, and tokens after a complete
   * expression are ignored.
   */
  static Node parseCondition(String text) throws RouteException {
    Parser parser = new Parser(text);
    if (parser.peek().type() == TokenType.EOF) {
      return new Node.Empty(parser.peek());
    }
    return parser.expression(0);
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token next() {
    Token token = tokens.get(index);
    if (token.type() != TokenType.EOF) {
      index++;
    }
    return token;
  }

  private RouteException error(Token at, String detail) {
    return new RouteException(text, at.start(), detail);
  }

  private RouteException expected(String what) {
    return error(peek(), "expected " + what + " but found " + peek().describe());
  }

  private Token expect(TokenType type, String what) throws RouteException {
    if (peek().type() != type) {
      throw expected(what);
    }
    return next();
  }

  private ParsedRoute route() throws RouteException {
    if (peek().type() == TokenType.SELECT) {
      next();
      expect(TokenType.STAR, "'*' after SELECT");
      expect(TokenType.FROM, "FROM");
    } else if (peek().type() == TokenType.FROM) {
      next();
    } else {
      throw expected("FROM or SELECT * FROM");
    }
    MessageSource source = MessageSource.of(path());
    Token last = tokens.get(index - 1);
    if (text.startsWith("/*", last.end())) {
      try {
        return rest(source);
      } catch (RouteException e) {
        throw new RouteException(
            text,
            e.position(),
            e.detail()
                + " (note: the '/*' at position "
                + last.end()
                + " starts a comment that runs to the first '*/')");
      }
    }
    return rest(source);
  }

  private ParsedRoute rest(MessageSource source) throws RouteException {
    Node condition = null;
    String conditionText = null;
    if (peek().type() == TokenType.WHERE) {
      next();
      if (peek().type() == TokenType.INTO || peek().type() == TokenType.EOF) {
        throw expected("a condition after WHERE");
      }
      Token first = peek();
      condition = expression(0);
      Token last = tokens.get(index - 1);
      conditionText = text.substring(first.start(), last.end());
      if (peek().type() != TokenType.INTO) {
        throw error(
            peek(),
            "expected INTO or an operator but found "
                + peek().describe()
                + equalsHint(peek())
                + unmatchedParenHint(peek()));
      }
    }
    expect(TokenType.INTO, "INTO or WHERE");
    Sink sink = sink();
    return new ParsedRoute(source, condition, conditionText, sink);
  }

  /** {@code path : '/' item ('/' item)*}, {@code item : '*' | ID}; returns the tokens' text. */
  private String path() throws RouteException {
    if (peek().type() != TokenType.SLASH) {
      throw expected("a source path starting with '/'");
    }
    StringBuilder path = new StringBuilder();
    while (peek().type() == TokenType.SLASH) {
      path.append(next().text());
      Token item = peek();
      if (item.type() != TokenType.STAR && item.type() != TokenType.ID) {
        String hint =
            switch (item.type()) {
              case EOF, WHERE, INTO -> " (a source path cannot end in '/')";
              case SLASH -> " (a path segment cannot be empty)";
              default ->
                  " (keywords, numbers, true/false/null/undefined and $names cannot be path"
                      + " segments)";
            };
        throw error(
            item, "expected '*' or a name after '/' but found " + item.describe() + hint);
      }
      path.append(next().text());
    }
    return path.toString();
  }

  private Sink sink() throws RouteException {
    Token token = peek();
    if (token.type() == TokenType.SYS_PROP) {
      next();
      if (!token.text().equalsIgnoreCase(UpstreamSink.NAME)) {
        throw error(
            token,
            "system endpoint '" + token.text() + "' is not supported; expected $upstream");
      }
      return UpstreamSink.INSTANCE;
    }
    if (token.type() == TokenType.ID) {
      next();
      expect(TokenType.LPAREN, "'(' after " + token.text());
      if (peek().type() == TokenType.UNTERMINATED_STRING) {
        throw error(peek(), "unterminated string");
      }
      Token address = expect(TokenType.STRING, "a quoted endpoint address");
      expect(TokenType.RPAREN, "')'");
      if (!token.text().equalsIgnoreCase("BrokeredEndpoint")) {
        throw error(
            token,
            "function endpoint '"
                + token.text()
                + "' is not supported; expected BrokeredEndpoint(\"/modules/<module>/inputs/<input>\")");
      }
      String raw = address.text().substring(1, address.text().length() - 1);
      return brokeredEndpoint(raw, address);
    }
    throw expected("$upstream or BrokeredEndpoint(\"/modules/<module>/inputs/<input>\")");
  }

  /** Validates the address as edgeHub's {@code EndpointFactory.CreateFunctionEndpoint} does. */
  private ModuleInputSink brokeredEndpoint(String raw, Token address) throws RouteException {
    if (DotNet.isBlank(raw)) {
      throw error(address, "the endpoint address is empty; expected /modules/<module>/inputs/<input>");
    }
    String parameter = DotNet.trim(raw);
    if (parameter.startsWith("/")) {
      parameter = parameter.substring(1);
    }
    if (parameter.endsWith("/")) {
      parameter = parameter.substring(0, parameter.length() - 1);
    }
    String[] items = parameter.split("/", -1);
    if (items.length != 4) {
      throw error(
          address,
          "endpoint address '"
              + raw
              + "' could not be parsed; expected /modules/<module>/inputs/<input>");
    }
    return new ModuleInputSink(items[1], items[3]);
  }

  private static int binaryPrecedence(TokenType type) {
    return switch (type) {
      case STAR, SLASH, PERCENT -> 13;
      case PLUS, MINUS, CONCAT -> 12;
      case LT, LE, GT, GE -> 11;
      case EQ, NE1, NE2 -> 10;
      case AND -> 9;
      case OR -> 8;
      case COALESCE -> 7;
      case UNKNOWN -> 4;
      default -> -1;
    };
  }

  /** ANTLR's precedence climbing: continue while the operator's precedence is at least {@code min}. */
  private Node expression(int min) throws RouteException {
    if (++nesting > MAX_NESTING) {
      throw error(peek(), "the condition is nested too deeply");
    }
    try {
      return binaryTail(primary(), min);
    } finally {
      nesting--;
    }
  }

  private Node binaryTail(Node first, int min) throws RouteException {
    Node left = first;
    while (true) {
      Token op = peek();
      int precedence = binaryPrecedence(op.type());
      if (precedence < 0 || precedence < min) {
        return left;
      }
      if (op.type() == TokenType.UNKNOWN) {
        throw error(op, "invalid symbol '" + op.text() + "'");
      }
      next();
      Node right = expression(precedence + 1);
      left = new Node.Binary(op, left, right);
    }
  }

  private Node primary() throws RouteException {
    Token token = peek();
    switch (token.type()) {
      case LPAREN -> {
        next();
        parentheses++;
        Node inner = expression(0);
        if (peek().type() != TokenType.RPAREN) {
          throw error(
              peek(),
              "expected ')' to close the '(' at position "
                  + token.start()
                  + " but found "
                  + peek().describe());
        }
        next();
        parentheses--;
        return checkExtraParenthesis(inner);
      }
      case STRING, INTEGER, HEX, REAL, TRUE, FALSE, NULL, UNDEFINED -> {
        return new Node.Literal(next());
      }
      case UNTERMINATED_STRING -> throw error(token, "unterminated string");
      case SYS_PROP -> {
        return new Node.SysProperty(next());
      }
      case ID -> {
        next();
        if (peek().type() == TokenType.LPAREN) {
          return checkExtraParenthesis(call(token));
        }
        return new Node.Property(token);
      }
      case LBRACE -> {
        next();
        Token property = expect(TokenType.SYS_PROP, "a $property after '{'");
        expect(TokenType.RBRACE, "'}'");
        return new Node.EscapedSysProperty(property);
      }
      case MINUS -> {
        next();
        return new Node.Unary(token, expression(15));
      }
      case NOT -> {
        next();
        return new Node.Unary(token, expression(14));
      }
      case UNKNOWN -> throw error(token, "invalid symbol '" + token.text() + "'");
      case QUERY_PATH ->
          throw error(
              token,
              "expected an expression but found "
                  + token.describe()
                  + " (only $body queries may contain '[' or ']')");
      default ->
          throw error(
              token, "expected an expression but found " + token.describe() + equalsHint(token));
    }
  }

  private String equalsHint(Token token) {
    int i = tokens.indexOf(token);
    if (token.type() == TokenType.EQ && i > 0 && tokens.get(i - 1).type() == TokenType.EQ) {
      return " ('==' is not an operator; use '=')";
    }
    return "";
  }

  private static String unmatchedParenHint(Token token) {
    return token.type() == TokenType.RPAREN ? " (unmatched ')')" : "";
  }

  /**
   * A parenthesised expression or call followed by a {@code )} that no open parenthesis can take
   * is edgeHub's {@code SyntaxErrorExtraParens} alternative, even where a condition on its own
   * would otherwise stop before the extra {@code )}.
   */
  private Node checkExtraParenthesis(Node node) throws RouteException {
    if (parentheses == 0 && peek().type() == TokenType.RPAREN) {
      throw error(peek(), "unmatched ')'");
    }
    return node;
  }

  private Node call(Token name) throws RouteException {
    next();
    parentheses++;
    List<Node> args = new ArrayList<>();
    int firstArg = index;
    if (peek().type() != TokenType.RPAREN) {
      args.add(expression(0));
      while (peek().type() == TokenType.COMMA) {
        next();
        args.add(expression(0));
      }
    }
    StringBuilder argsText = new StringBuilder();
    for (int i = firstArg; i < index; i++) {
      argsText.append(tokens.get(i).text());
    }
    if (peek().type() != TokenType.RPAREN) {
      throw expected(args.isEmpty() ? "an argument or ')'" : "',' or ')'");
    }
    next();
    parentheses--;
    return new Node.Call(name, List.copyOf(args), argsText.toString());
  }
}
