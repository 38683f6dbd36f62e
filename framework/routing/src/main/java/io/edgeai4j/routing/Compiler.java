package io.edgeai4j.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Type-checks a condition and compiles it to an {@link Expr}, following edgeHub's {@code
 * ConditionVisitor}: which operand types each operator accepts, how a {@code $body} value on
 * either side converts the other, and which combinations .NET's expression trees cannot build.
 */
final class Compiler {
  private static final int MAX_DEPTH = 1000;
  private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\[Uu]([0-9A-Fa-f]{4})");
  private static final Pattern QUOTE_ESCAPE = Pattern.compile("\\\\([\"'\\\\])");

  private final String text;
  private final MessageSource source;

  private Compiler(String text, MessageSource source) {
    this.text = text;
    this.source = source;
  }

  /** Compiles a parsed condition; {@code text} is what token positions refer to. */
  static Expr compile(Node node, MessageSource source, String text) throws RouteException {
    return new Compiler(text, source).compile(node, 0);
  }

  /**
   * Parses and compiles condition text on its own, as edgeHub's {@code RouteCompiler} does with
   * the text it cut out of a route (tokens after a complete expression are ignored).
   */
  static CompiledCondition compileCondition(String conditionText, MessageSource source)
      throws RouteException {
    Node node = Parser.parseCondition(conditionText);
    return new CompiledCondition(conditionText, compile(node, source, conditionText));
  }

  private RouteException error(Token at, String detail) {
    return new RouteException(text, at.start(), detail);
  }

  private Expr compile(Node node, int depth) throws RouteException {
    if (depth > MAX_DEPTH) {
      throw error(node.token(), "the condition is nested too deeply");
    }
    if (node instanceof Node.Literal literal) {
      return literal(literal.token());
    } else if (node instanceof Node.Property property) {
      String name = property.token().text();
      return new Expr(Type.STRING, c -> c.property(name));
    } else if (node instanceof Node.SysProperty property) {
      return sysProperty(property.token());
    } else if (node instanceof Node.EscapedSysProperty property) {
      String name = property.token().text();
      return isBodyQuery(name)
          ? bodyQuery(name.substring(6), property.token())
          : systemProperty(name.substring(1));
    } else if (node instanceof Node.Call call) {
      return call(call, depth);
    } else if (node instanceof Node.Unary unary) {
      return unary(unary.token(), compile(unary.operand(), depth + 1));
    } else if (node instanceof Node.Binary binary) {
      return binary(
          binary.token(), compile(binary.left(), depth + 1), compile(binary.right(), depth + 1));
    } else {
      return Expr.constant(Type.UNDEFINED, Values.Special.UNDEFINED);
    }
  }

  private static Expr undefined() {
    return Expr.constant(Type.UNDEFINED, Values.Special.UNDEFINED);
  }

  private static Expr number(double value) {
    return Double.isNaN(value) ? undefined() : Expr.constant(Type.DOUBLE, value);
  }

  private Expr literal(Token token) {
    String t = token.text();
    return switch (token.type()) {
      case STRING -> Expr.constant(Type.STRING, unescape(t.substring(1, t.length() - 1)));
      case INTEGER, REAL -> {
        Double value = DotNet.parseDouble(t);
        yield value == null ? undefined() : number(value);
      }
      case HEX -> number(DotNet.parseHexLong(t.substring(2)));
      case TRUE -> Expr.constant(Type.BOOL, TriState.TRUE);
      case FALSE -> Expr.constant(Type.BOOL, TriState.FALSE);
      case NULL -> Expr.constant(Type.NULL, Values.Special.NULL);
      default -> undefined();
    };
  }

  /** edgeHub's {@code Unescape}: first {@code \\uXXXX}, then {@code \" \' \\}. */
  static String unescape(String input) {
    Matcher unicode = UNICODE_ESCAPE.matcher(input);
    String pass1 =
        unicode.replaceAll(
            m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    return QUOTE_ESCAPE.matcher(pass1).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
  }

  private static boolean isBodyQuery(String name) {
    return name.regionMatches(true, 0, "$body.", 0, 6);
  }

  /**
   * {@code $name}: an application property called {@code $name} wins; otherwise a {@code $body.}
   * query, or the system property {@code name}. Names with brackets can only be body queries.
   */
  private Expr sysProperty(Token token) throws RouteException {
    String name = token.text();
    boolean bodyQuery = isBodyQuery(name);
    Expr alternative = bodyQuery ? bodyQuery(name.substring(6), token) : undefined();
    if (name.indexOf('[') >= 0 || name.indexOf(']') >= 0) {
      return alternative;
    }
    if (bodyQuery) {
      Expr body = alternative;
      return new Expr(
          Type.QUERY,
          c ->
              c.hasProperty(name)
                  ? Values.toQuery(Type.STRING, c.property(name))
                  : body.evaluate(c));
    }
    Expr system = systemProperty(name.substring(1));
    return new Expr(
        Type.STRING, c -> c.hasProperty(name) ? c.property(name) : system.evaluate(c));
  }

  private static Expr systemProperty(String name) {
    if (name.indexOf('[') >= 0 || name.indexOf(']') >= 0) {
      return undefined();
    }
    return new Expr(Type.STRING, c -> c.systemProperty(name));
  }

  private Expr bodyQuery(String path, Token token) throws RouteException {
    if (path.isEmpty()) {
      throw error(token, "$body query cannot be empty");
    }
    String problem = JsonPathSyntax.check(path);
    if (problem != null) {
      throw error(token, "invalid $body query '" + path + "': " + problem);
    }
    return new Expr(
        Type.QUERY,
        c -> {
          try {
            QueryValue value = c.queryBody(path);
            return value.kind() == QueryValue.Kind.OBJECT ? QueryValue.UNDEFINED : value;
          } catch (RuntimeException e) {
            return QueryValue.UNDEFINED;
          }
        });
  }

  private Expr call(Node.Call call, int depth) throws RouteException {
    Token name = call.token();
    Builtins.Builtin builtin = Builtins.find(name.text());
    if (builtin == null) {
      throw error(
          name, "unknown function '" + name.text() + "'; expected one of " + Builtins.names());
    }
    if (builtin.name().equals(Builtins.TWIN_CHANGE_INCLUDES)) {
      return twinChangeIncludes(name, call.argsText());
    }
    List<Expr> args = new ArrayList<>();
    for (Node arg : call.args()) {
      args.add(compile(arg, depth + 1));
    }
    return apply(builtin, args, name);
  }

  private Expr twinChangeIncludes(Token name, String path) throws RouteException {
    if (!source.isTwinChangeNotifications()) {
      throw error(
          name,
          "function 'twin_change_includes' is only valid in routes FROM /twinChangeNotifications,"
              + " not FROM "
              + source.pattern());
    }
    if (path.isEmpty()) {
      throw error(name, "twin_change_includes needs a path, e.g. properties.reported.temperature");
    }
    String problem = JsonPathSyntax.checkTwinChange(path);
    if (problem != null) {
      throw error(name, "invalid twin_change_includes path: " + problem);
    }
    return new Expr(
        Type.BOOL,
        c -> {
          try {
            QueryValue value = c.queryBody(path);
            if (value == QueryValue.MISSING) {
              return TriState.FALSE;
            }
            return value.kind() == QueryValue.Kind.NONE ? TriState.UNDEFINED : TriState.TRUE;
          } catch (RuntimeException e) {
            return TriState.UNDEFINED;
          }
        });
  }

  private Expr apply(Builtins.Builtin builtin, List<Expr> args, Token name)
      throws RouteException {
    List<Type> types = args.stream().map(Expr::type).toList();
    for (Builtins.Executor executor : builtin.executors()) {
      if (executor.signature().matches(types, executor.queryValues())) {
        return executor.build().apply(args);
      }
    }
    boolean arityFits =
        builtin.executors().stream().anyMatch(e -> e.signature().acceptsArity(args.size()));
    if (!arityFits) {
      Set<String> arities = new TreeSet<>();
      for (Builtins.Executor executor : builtin.executors()) {
        if (executor.signature() instanceof Builtins.Variadic variadic) {
          arities.add("at least " + (variadic.types().size() - 1));
        } else if (executor.signature() instanceof Builtins.Fixed fixed) {
          arities.add(String.valueOf(fixed.types().size()));
        } else {
          arities.add("1");
        }
      }
      throw error(
          name,
          "function '"
              + builtin.name()
              + "' expects "
              + String.join(" or ", arities)
              + " argument(s) but got "
              + args.size());
    }
    String given =
        types.stream()
            .map(Type::displayName)
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    throw error(
        name,
        "function '"
            + builtin.name()
            + "' cannot be applied to "
            + given
            + "; expected "
            + Builtins.describeSignatures(builtin));
  }

  private Expr unary(Token op, Expr operand) throws RouteException {
    Type type = operand.type();
    if (op.type() == TokenType.MINUS) {
      if (type == Type.DOUBLE) {
        return new Expr(Type.DOUBLE, c -> -(Double) operand.evaluate(c));
      }
      throw error(
          op,
          "operator '-' cannot be applied to "
              + type.displayName()
              + (type == Type.QUERY ? " (write 0 - x instead)" : "; expected Double"));
    }
    return switch (type) {
      case NULL -> Expr.constant(Type.BOOL, TriState.TRUE);
      case BOOL -> new Expr(Type.BOOL, c -> Operators.not((TriState) operand.evaluate(c)));
      case QUERY ->
          new Expr(
              Type.BOOL,
              c -> {
                QueryValue value = (QueryValue) operand.evaluate(c);
                return value.kind() == QueryValue.Kind.BOOL
                    ? Operators.not(value.boolValue())
                    : TriState.UNDEFINED;
              });
      default ->
          throw error(
              op,
              "operator '"
                  + op.text()
                  + "' cannot be applied to "
                  + type.displayName()
                  + "; expected Bool or Null");
    };
  }

  private RouteException operandError(Token op, Expr left, Expr right, String expected) {
    return error(
        op,
        "operator '"
            + op.text()
            + "' cannot be applied to "
            + left.type().displayName()
            + " and "
            + right.type().displayName()
            + "; "
            + expected);
  }

  private Expr binary(Token op, Expr left, Expr right) throws RouteException {
    return switch (op.type()) {
      case STAR, SLASH, PERCENT, PLUS, MINUS -> arithmetic(op, left, right);
      case CONCAT -> concat(op, left, right);
      case LT, LE, GT, GE, EQ, NE1, NE2 -> comparison(op, left, right);
      case AND, OR -> logical(op, left, right);
      case COALESCE -> coalesce(op, left, right);
      default -> throw error(op, "unsupported operator '" + op.text() + "'");
    };
  }

  private static boolean isNumeric(Type type) {
    return type == Type.DOUBLE || type == Type.QUERY;
  }

  private Expr arithmetic(Token op, Expr left, Expr right) throws RouteException {
    if (!isNumeric(left.type()) || !isNumeric(right.type())) {
      throw operandError(op, left, right, "expected Double and Double" + numberHint(left, right));
    }
    TokenType kind = op.type();
    if (left.type() == Type.QUERY || right.type() == Type.QUERY) {
      if (kind == TokenType.PERCENT) {
        throw operandError(op, left, right, "edgeHub has no '%' for $body values");
      }
      return new Expr(
          Type.QUERY,
          c ->
              Operators.arithmetic(
                  kind,
                  Values.toQuery(left.type(), left.evaluate(c)),
                  Values.toQuery(right.type(), right.evaluate(c))));
    }
    return new Expr(
        Type.DOUBLE,
        c -> Operators.arithmetic(kind, (Double) left.evaluate(c), (Double) right.evaluate(c)));
  }

  /** A hint for an operand-type error with a String: what to write instead. */
  private static String numberHint(Expr left, Expr right) {
    if (left.type() != Type.STRING && right.type() != Type.STRING) {
      return "";
    }
    Type other = left.type() == Type.STRING ? right.type() : left.type();
    return switch (other) {
      case NULL -> " (a property whose value is null is still a String: test it with is_null)";
      case UNDEFINED -> " (test whether a property is present with is_defined)";
      default -> " (properties are strings: convert them with as_number)";
    };
  }

  private Expr concat(Token op, Expr left, Expr right) throws RouteException {
    boolean valid =
        (left.type() == Type.STRING || left.type() == Type.QUERY)
            && (right.type() == Type.STRING || right.type() == Type.QUERY);
    if (!valid) {
      throw operandError(op, left, right, "expected String and String");
    }
    return apply(Builtins.find("concat"), List.of(left, right), op);
  }

  private static boolean sameOrQuery(Type left, Type right) {
    return left == right
        || (right == Type.QUERY && left.convertsToQuery())
        || (left == Type.QUERY && right.convertsToQuery());
  }

  private static Object convert(Expr expr, Type target, EvalContext context) {
    Object value = expr.evaluate(context);
    return target == Type.QUERY ? Values.toQuery(expr.type(), value) : value;
  }

  private Expr comparison(Token op, Expr left, Expr right) throws RouteException {
    if (!sameOrQuery(left.type(), right.type())) {
      throw operandError(
          op, left, right, "both operands must have the same type" + numberHint(left, right));
    }
    Type type = left.type() == Type.QUERY || right.type() == Type.QUERY ? Type.QUERY : left.type();
    Operators.Comparison comparison = Operators.Comparison.of(op.type());
    return new Expr(
        Type.BOOL,
        c -> Operators.compare(comparison, type, convert(left, type, c), convert(right, type, c)));
  }

  private Expr coalesce(Token op, Expr left, Expr right) throws RouteException {
    if (!sameOrQuery(left.type(), right.type())) {
      throw operandError(op, left, right, "both operands must have the same type");
    }
    Type type = left.type() == Type.QUERY || right.type() == Type.QUERY ? Type.QUERY : left.type();
    if (type == Type.UNDEFINED) {
      return right;
    }
    return new Expr(
        type,
        c -> {
          Object value = convert(left, type, c);
          return Values.isDefined(type, value) ? value : convert(right, type, c);
        });
  }

  private static TriState asBool(Expr expr, EvalContext context) {
    Object value = expr.evaluate(context);
    return expr.type() == Type.UNDEFINED ? TriState.UNDEFINED : (TriState) value;
  }

  /**
   * {@code AND} and {@code OR}. Operands may be Bool, Null or Undefined; a {@code $body} value is
   * accepted on the left only (edgeHub checks the right operand against the left's type), and
   * then converts the right operand, whatever its type.
   */
  private Expr logical(Token op, Expr left, Expr right) throws RouteException {
    Type l = left.type();
    Type r = right.type();
    boolean and = op.type() == TokenType.AND;
    boolean leftValid = l == Type.NULL || l == Type.BOOL || l == Type.UNDEFINED || l == Type.QUERY;
    boolean rightValid = r == Type.NULL || r == Type.BOOL || r == Type.UNDEFINED || l == Type.QUERY;
    if (!leftValid || !rightValid) {
      String hint =
          r == Type.QUERY ? " (edgeHub accepts a $body value only on the left)" : "";
      throw operandError(op, left, right, "expected Bool operands" + hint);
    }
    if (l == Type.QUERY) {
      if (and && r == Type.NULL) {
        throw operandError(op, left, right, "edgeHub cannot convert the result to Null");
      }
      return new Expr(
          Type.BOOL,
          c -> {
            QueryValue x = (QueryValue) left.evaluate(c);
            QueryValue y = Values.toQuery(r, right.evaluate(c));
            if (x.kind() != QueryValue.Kind.BOOL || y.kind() != QueryValue.Kind.BOOL) {
              return TriState.UNDEFINED;
            }
            return and
                ? Operators.and(x.boolValue(), y.boolValue())
                : Operators.or(x.boolValue(), y.boolValue());
          });
    }
    if ((l == Type.NULL && r == Type.UNDEFINED) || (l == Type.UNDEFINED && r == Type.NULL)) {
      throw operandError(op, left, right, "edgeHub has no such operator");
    }
    if (and && (l == Type.NULL || r == Type.NULL)) {
      return Expr.constant(Type.NULL, Values.Special.NULL);
    }
    if (!and && l == Type.NULL && r == Type.NULL) {
      return Expr.constant(Type.NULL, Values.Special.NULL);
    }
    if (!and && l == Type.NULL) {
      return right;
    }
    if (!and && r == Type.NULL) {
      return left;
    }
    return new Expr(
        Type.BOOL,
        c -> {
          TriState x = asBool(left, c);
          TriState y = asBool(right, c);
          return and ? Operators.and(x, y) : Operators.or(x, y);
        });
  }
}
