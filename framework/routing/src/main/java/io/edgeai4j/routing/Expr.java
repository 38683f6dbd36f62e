package io.edgeai4j.routing;

/**
 * A type-checked, compiled condition expression.
 *
 * @param type The static type.
 * @param eval Computes the value, represented as {@link Values} describes for {@code type}.
 */
record Expr(Type type, Eval eval) {
  /** Computes a value from the message being routed. */
  @FunctionalInterface
  interface Eval {
    Object apply(EvalContext context);
  }

  /** A constant. */
  static Expr constant(Type type, Object value) {
    return new Expr(type, context -> value);
  }

  Object evaluate(EvalContext context) {
    return eval.apply(context);
  }
}
