package io.edgeai4j.routing;

import java.util.Objects;

/**
 * A parsed and type-checked edgeHub route: {@code [SELECT *] FROM <source> [WHERE <condition>]
 * INTO <sink>}.
 *
 * <p>{@link #parse(String)} reports everything edgeHub would reject, at parse time: syntax errors,
 * type errors in the condition, unknown functions, wrong arguments, {@code twin_change_includes}
 * outside a {@code FROM /twinChangeNotifications} route and unsupported sinks. Like edgeHub, it
 * ignores anything after the sink (edgeHub's grammar has no end-of-input rule), so {@code FROM
 * /messages INTO $upstream WHERE false} routes every message.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Route {
  private final String text;
  private final MessageSource source;
  private final Condition condition;
  private final Sink sink;

  private Route(String text, MessageSource source, Condition condition, Sink sink) {
    this.text = text;
    this.source = source;
    this.condition = condition;
    this.sink = sink;
  }

  /**
   * Parses and compiles a route.
   *
   * @param text The route, e.g. {@code FROM /messages/modules/sensor/* WHERE $body.temp > 30 INTO
   *     $upstream}.
   * @return The route.
   * @throws RouteException If edgeHub would reject the route; the exception gives the position.
   */
  public static Route parse(String text) throws RouteException {
    Objects.requireNonNull(text, "text");
    Parser.ParsedRoute parsed = Parser.parseRoute(text);
    Condition condition =
        parsed.condition() == null
            ? CompiledCondition.ALWAYS
            : new CompiledCondition(
                parsed.conditionText(),
                Compiler.compile(parsed.condition(), parsed.source(), text));
    return new Route(text, parsed.source(), condition, parsed.sink());
  }

  /**
   * Returns the route text as given to {@link #parse(String)}.
   *
   * @return The text.
   */
  public String text() {
    return text;
  }

  /**
   * Returns the source.
   *
   * @return The {@code FROM} part.
   */
  public MessageSource source() {
    return source;
  }

  /**
   * Returns the condition.
   *
   * @return The {@code WHERE} part; text {@code "true"} if the route has none.
   */
  public Condition condition() {
    return condition;
  }

  /**
   * Returns the sink.
   *
   * @return The {@code INTO} part.
   */
  public Sink sink() {
    return sink;
  }

  /**
   * Tells whether a message is routed: its source path matches and the condition is {@link
   * TriState#TRUE}.
   *
   * @param message The message.
   * @return Whether this route sends the message to its sink.
   */
  public boolean matches(RoutingMessage message) {
    return source.matches(message.sourcePath()) && condition.evaluate(message) == TriState.TRUE;
  }

  /** Routes are equal when their texts are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Route route && route.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
