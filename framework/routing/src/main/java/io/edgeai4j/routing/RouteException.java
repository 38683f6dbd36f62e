package io.edgeai4j.routing;

/**
 * A route that edgeHub would reject: a syntax error, a type error in the condition, an unknown
 * function or wrong arguments, {@code twin_change_includes} outside a {@code
 * /twinChangeNotifications} route, or an unsupported sink.
 *
 * <p>The message states the position, what was found and what was expected, for example {@code
 * Route error at position 37: expected INTO but found 'INT0'}.
 */
public final class RouteException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The 0-based offset of the error, or -1. */
  private final int position;

  /** The route text that failed, or {@code null}. */
  private final String routeText;

  /** The message without the position prefix. */
  private final String detail;

  /**
   * Creates an exception.
   *
   * @param routeText The route text that failed, or {@code null} if unknown.
   * @param position The 0-based character offset of the error in {@code routeText}, or -1.
   * @param detail What was wrong, without the position prefix.
   */
  public RouteException(String routeText, int position, String detail) {
    super(format(position, detail));
    this.routeText = routeText;
    this.position = position < 0 ? -1 : position;
    this.detail = detail;
  }

  private static String format(int position, String detail) {
    return position < 0
        ? "Route error: " + detail
        : "Route error at position " + position + ": " + detail;
  }

  /**
   * Returns the 0-based character offset of the error in the route text.
   *
   * @return The offset, or -1 if the error has no position.
   */
  public int position() {
    return position;
  }

  /**
   * Returns the route text that failed.
   *
   * @return The text, or {@code null} if unknown.
   */
  public String routeText() {
    return routeText;
  }

  /**
   * Returns what was wrong, without the {@code Route error at position N:} prefix.
   *
   * @return The detail message.
   */
  public String detail() {
    return detail;
  }
}
