package io.edgeai4j.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * edgeHub's built-in functions ({@code ConditionVisitor.Builtins}): for each, the argument
 * signatures it accepts at compile time, tried in order, and what it computes.
 *
 * <p>Most signatures also accept {@code $body} values in place of any argument; the function then
 * checks the value's kind at run time and gives undefined when it does not fit.
 */
final class Builtins {
  private Builtins() {}

  /** The name of the one function that reads the twin change notification body. */
  static final String TWIN_CHANGE_INCLUDES = "twin_change_includes";

  /** An argument signature. */
  sealed interface Signature {
    boolean matches(List<Type> types, boolean queryValues);

    boolean acceptsArity(int arity);

    String describe();
  }

  /** {@code Args}: exactly these types. */
  record Fixed(List<Type> types) implements Signature {
    @Override
    public boolean matches(List<Type> given, boolean queryValues) {
      if (given.size() != types.size()) {
        return false;
      }
      for (int i = 0; i < types.size(); i++) {
        Type expected = types.get(i);
        Type actual = given.get(i);
        boolean match =
            expected == actual
                || (queryValues
                    && ((actual == Type.QUERY && expected.convertsToQuery())
                        || (expected == Type.QUERY && actual.convertsToQuery())));
        if (!match) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean acceptsArity(int arity) {
      return arity == types.size();
    }

    @Override
    public String describe() {
      return types.stream().map(Type::displayName).collect(Collectors.joining(", ", "(", ")"));
    }
  }

  /** {@code VarArgs}: the leading types, then any number (at least zero) of the last type. */
  record Variadic(List<Type> types) implements Signature {
    @Override
    public boolean matches(List<Type> given, boolean queryValues) {
      int fixed = types.size() - 1;
      if (given.size() < fixed) {
        return false;
      }
      for (int i = 0; i < given.size(); i++) {
        Type expected = types.get(Math.min(i, fixed));
        Type actual = given.get(i);
        if (actual != expected && !(queryValues && actual == Type.QUERY)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean acceptsArity(int arity) {
      return arity >= types.size() - 1;
    }

    @Override
    public String describe() {
      return types.stream().map(Type::displayName).collect(Collectors.joining(", ", "(", "...)"));
    }
  }

  /** {@code AnyArgs(1)}: one argument of any type. */
  record AnyOne() implements Signature {
    @Override
    public boolean matches(List<Type> given, boolean queryValues) {
      return given.size() == 1;
    }

    @Override
    public boolean acceptsArity(int arity) {
      return arity == 1;
    }

    @Override
    public String describe() {
      return "(any)";
    }
  }

  /**
   * One way to call a function.
   *
   * @param signature The argument types it accepts.
   * @param queryValues Whether it accepts {@code $body} values, and gets every argument converted
   *     to one.
   * @param build Builds the call from the (converted) arguments.
   */
  record Executor(Signature signature, boolean queryValues, Function<List<Expr>, Expr> build) {}

  /** A built-in function: its executors, tried in order. */
  record Builtin(String name, List<Executor> executors) {}

  private static final Map<String, Builtin> BY_NAME =
      new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /** Looks a function up; names are case-insensitive. */
  static Builtin find(String name) {
    return BY_NAME.get(name);
  }

  /** The function names, lower case, sorted. */
  static Set<String> names() {
    return Collections.unmodifiableSet(BY_NAME.keySet());
  }

  private static Fixed args(Type... types) {
    return new Fixed(List.of(types));
  }

  private static void define(String name, Executor... executors) {
    BY_NAME.put(name, new Builtin(name, List.of(executors)));
  }

  private static Executor onQueryValues(
      Signature signature, Type result, Function<QueryValue[], Object> function) {
    return new Executor(
        signature,
        true,
        args ->
            new Expr(
                result,
                context -> {
                  QueryValue[] values = new QueryValue[args.size()];
                  for (int i = 0; i < values.length; i++) {
                    Expr arg = args.get(i);
                    values[i] = Values.toQuery(arg.type(), arg.evaluate(context));
                  }
                  return function.apply(values);
                }));
  }

  private static Executor exact(Signature signature, Function<Expr, Expr> build) {
    return new Executor(signature, false, args -> build.apply(args.get(0)));
  }

  private static Executor constant(Signature signature, TriState value) {
    return new Executor(signature, false, args -> Expr.constant(Type.BOOL, value));
  }

  private static boolean isNumber(QueryValue value) {
    return value.kind() == QueryValue.Kind.DOUBLE && !Double.isNaN(value.doubleValue());
  }

  private static boolean isString(QueryValue value) {
    return value.kind() == QueryValue.Kind.STRING && value.stringValue() != null;
  }

  private static Executor math(Function<Double, Double> function) {
    return onQueryValues(
        args(Type.DOUBLE),
        Type.DOUBLE,
        v -> isNumber(v[0]) ? function.apply(v[0].doubleValue()) : Double.NaN);
  }

  private static Executor stringPredicate(java.util.function.BiPredicate<String, String> test) {
    return onQueryValues(
        args(Type.STRING, Type.STRING),
        Type.BOOL,
        v ->
            isString(v[0]) && isString(v[1])
                ? TriState.of(test.test(v[0].stringValue(), v[1].stringValue()))
                : TriState.UNDEFINED);
  }

  static {
    // Math. Abs, Exp, Ceiling and Floor check only the kind; NaN then propagates as undefined.
    define(
        "abs",
        onQueryValues(
            args(Type.DOUBLE),
            Type.DOUBLE,
            v -> v[0].kind() == QueryValue.Kind.DOUBLE ? Math.abs(v[0].doubleValue()) : Double.NaN));
    define(
        "exp",
        onQueryValues(
            args(Type.DOUBLE),
            Type.DOUBLE,
            v -> v[0].kind() == QueryValue.Kind.DOUBLE ? Math.exp(v[0].doubleValue()) : Double.NaN));
    define(
        "power",
        onQueryValues(
            args(Type.DOUBLE, Type.DOUBLE),
            Type.DOUBLE,
            v ->
                v[0].kind() == QueryValue.Kind.DOUBLE && v[1].kind() == QueryValue.Kind.DOUBLE
                    ? DotNet.pow(v[0].doubleValue(), v[1].doubleValue())
                    : Double.NaN));
    define("square", math(x -> DotNet.pow(x, 2)));
    define(
        "ceiling",
        onQueryValues(
            args(Type.DOUBLE),
            Type.DOUBLE,
            v -> v[0].kind() == QueryValue.Kind.DOUBLE ? Math.ceil(v[0].doubleValue()) : Double.NaN));
    define(
        "floor",
        onQueryValues(
            args(Type.DOUBLE),
            Type.DOUBLE,
            v ->
                v[0].kind() == QueryValue.Kind.DOUBLE ? Math.floor(v[0].doubleValue()) : Double.NaN));
    define("sign", math(DotNet::sign));
    define("sqrt", math(Math::sqrt));

    // Type checks and conversion.
    define(
        "as_number",
        onQueryValues(
            args(Type.STRING),
            Type.DOUBLE,
            v -> {
              if (v[0].kind() == QueryValue.Kind.STRING) {
                Double parsed = DotNet.parseDouble(v[0].stringValue());
                return parsed == null ? Double.NaN : parsed;
              }
              return v[0].kind() == QueryValue.Kind.DOUBLE ? v[0].doubleValue() : Double.NaN;
            }),
        exact(args(Type.DOUBLE), arg -> arg));
    define(
        "is_bool",
        onQueryValues(
            args(Type.BOOL),
            Type.BOOL,
            v ->
                v[0].kind() == QueryValue.Kind.NONE
                    ? TriState.UNDEFINED
                    : TriState.of(v[0].kind() == QueryValue.Kind.BOOL)),
        constant(new AnyOne(), TriState.FALSE));
    define(
        "is_defined",
        exact(
            args(Type.STRING),
            arg ->
                new Expr(
                    Type.BOOL,
                    c -> TriState.of(Values.isDefined((String) arg.evaluate(c))))),
        exact(
            args(Type.DOUBLE),
            arg -> new Expr(Type.BOOL, c -> TriState.of(!((Double) arg.evaluate(c)).isNaN()))),
        exact(
            args(Type.BOOL),
            arg -> new Expr(Type.BOOL, c -> TriState.of(arg.evaluate(c) != TriState.UNDEFINED))),
        constant(args(Type.UNDEFINED), TriState.FALSE),
        constant(args(Type.NULL), TriState.TRUE),
        exact(
            args(Type.QUERY),
            arg ->
                new Expr(
                    Type.BOOL,
                    c ->
                        TriState.of(
                            ((QueryValue) arg.evaluate(c)).kind() != QueryValue.Kind.NONE))));
    define(
        "is_null",
        exact(
            args(Type.STRING),
            arg -> new Expr(Type.BOOL, c -> TriState.of(arg.evaluate(c) == null))),
        // edgeHub compares with its QueryValue.Null singleton by reference and inverts the test:
        // a JSON null, string or number is "null", a path that selects nothing is not.
        exact(
            args(Type.QUERY),
            arg ->
                new Expr(
                    Type.BOOL,
                    c -> {
                      QueryValue value = (QueryValue) arg.evaluate(c);
                      return value.kind() == QueryValue.Kind.NONE
                          ? TriState.UNDEFINED
                          : TriState.of(value != QueryValue.MISSING);
                    })),
        constant(args(Type.NULL), TriState.TRUE),
        constant(new AnyOne(), TriState.FALSE));
    define(
        "is_number",
        onQueryValues(
            args(Type.DOUBLE),
            Type.BOOL,
            v ->
                TriState.of(
                    v[0].kind() == QueryValue.Kind.DOUBLE
                        && Double.isFinite(v[0].doubleValue()))),
        constant(new AnyOne(), TriState.FALSE));
    define(
        "is_string",
        onQueryValues(args(Type.STRING), Type.BOOL, v -> TriState.of(isString(v[0]))),
        constant(new AnyOne(), TriState.FALSE));

    // Strings.
    define(
        "concat",
        onQueryValues(
            new Variadic(List.of(Type.STRING, Type.STRING, Type.STRING)),
            Type.STRING,
            v -> {
              StringBuilder out = new StringBuilder();
              for (QueryValue value : v) {
                if (value.kind() != QueryValue.Kind.STRING) {
                  return Values.UNDEFINED_STRING;
                }
                if (value.stringValue() != null) {
                  out.append(value.stringValue());
                }
              }
              return out.toString();
            }));
    define(
        "length",
        onQueryValues(
            args(Type.STRING),
            Type.DOUBLE,
            v -> isString(v[0]) ? (double) v[0].stringValue().length() : Double.NaN));
    define(
        "lower",
        onQueryValues(
            args(Type.STRING),
            Type.STRING,
            v ->
                isString(v[0])
                    ? DotNet.toLowerInvariant(v[0].stringValue())
                    : Values.UNDEFINED_STRING));
    define(
        "upper",
        onQueryValues(
            args(Type.STRING),
            Type.STRING,
            v ->
                isString(v[0])
                    ? DotNet.toUpperInvariant(v[0].stringValue())
                    : Values.UNDEFINED_STRING));
    define(
        "substring",
        onQueryValues(
            args(Type.STRING, Type.DOUBLE),
            Type.STRING,
            v -> {
              if (!isString(v[0]) || v[1].kind() != QueryValue.Kind.DOUBLE) {
                return Values.UNDEFINED_STRING;
              }
              String s = v[0].stringValue();
              double start = v[1].doubleValue();
              boolean valid = !Double.isNaN(start) && start <= s.length() && start >= 0;
              return valid ? s.substring((int) start) : Values.UNDEFINED_STRING;
            }),
        onQueryValues(
            args(Type.STRING, Type.DOUBLE, Type.DOUBLE),
            Type.STRING,
            v -> {
              if (!isString(v[0])
                  || v[1].kind() != QueryValue.Kind.DOUBLE
                  || v[2].kind() != QueryValue.Kind.DOUBLE) {
                return Values.UNDEFINED_STRING;
              }
              String s = v[0].stringValue();
              double start = v[1].doubleValue();
              double length = v[2].doubleValue();
              boolean valid =
                  !Double.isNaN(start)
                      && start < s.length()
                      && start >= 0
                      && !Double.isNaN(length)
                      && length >= 0
                      && length <= s.length() - start;
              return valid
                  ? s.substring((int) start, (int) start + (int) length)
                  : Values.UNDEFINED_STRING;
            }));
    define(
        "index_of",
        onQueryValues(
            args(Type.STRING, Type.STRING),
            Type.DOUBLE,
            v ->
                isString(v[0]) && isString(v[1])
                    ? (double) v[0].stringValue().indexOf(v[1].stringValue())
                    : Double.NaN));
    define("starts_with", stringPredicate(String::startsWith));
    define("ends_with", stringPredicate(String::endsWith));
    define("contains", stringPredicate(String::contains));

    // twin_change_includes is compiled specially (its argument is a path, not an expression);
    // it is registered so that it is found, and its signature documents the one argument.
    define(TWIN_CHANGE_INCLUDES, new Executor(args(Type.STRING), false, args -> args.get(0)));
  }

  /** Describes the accepted signatures of a function for an error message. */
  static String describeSignatures(Builtin builtin) {
    List<String> alternatives = new ArrayList<>();
    for (Executor executor : builtin.executors()) {
      alternatives.add(builtin.name() + executor.signature().describe());
    }
    return String.join(" or ", alternatives);
  }
}
