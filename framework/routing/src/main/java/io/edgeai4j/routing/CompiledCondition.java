package io.edgeai4j.routing;

import java.util.Objects;

/** A type-checked condition, ready to evaluate. Immutable and thread-safe. */
final class CompiledCondition implements Condition {
  /** The condition of a route without {@code WHERE}. */
  static final CompiledCondition ALWAYS =
      new CompiledCondition("true", Expr.constant(Type.BOOL, TriState.TRUE));

  private final String text;
  private final Expr expr;

  CompiledCondition(String text, Expr expr) {
    this.text = text;
    this.expr = expr;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public TriState evaluate(RoutingMessage message) {
    Objects.requireNonNull(message, "message");
    return evaluate(new EvalContext(message));
  }

  /** Evaluates against a prepared message, so that several routes share one parsed body. */
  TriState evaluate(EvalContext context) {
    return Values.toBool(expr.type(), expr.evaluate(context));
  }

  /** The raw value of the condition expression, before conversion to a {@link TriState}. */
  Object value(RoutingMessage message) {
    return expr.evaluate(new EvalContext(message));
  }

  @Override
  public String toString() {
    return text;
  }
}
