package io.edgeai4j.routing;

/**
 * The {@code WHERE} part of a route, type-checked when the route was parsed.
 *
 * <p>Implementations are immutable and thread-safe; only {@link Route#parse(String)} creates them.
 */
public interface Condition {
  /**
   * Returns the condition text exactly as written in the route (white space and comments inside
   * it included), or {@code "true"} for a route without {@code WHERE}.
   *
   * @return The text.
   */
  String text();

  /**
   * Evaluates the condition against a message with edgeHub's three-valued logic.
   *
   * <p>Missing properties, failed conversions and {@code $body} queries on a body that is not a
   * JSON object (or lacks {@code contentType=application/json} and a {@code contentEncoding} of
   * {@code utf-8}, {@code utf-16} or {@code utf-32}) give {@link TriState#UNDEFINED}; message
   * content never makes this method throw.
   *
   * @param message The message.
   * @return The result; only {@link TriState#TRUE} routes the message.
   */
  TriState evaluate(RoutingMessage message);
}
