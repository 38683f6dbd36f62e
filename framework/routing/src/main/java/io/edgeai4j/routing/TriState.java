package io.edgeai4j.routing;

/**
 * The result of evaluating a route condition: edgeHub's three-valued {@code Bool}.
 *
 * <p>Only {@link #TRUE} routes a message. {@link #UNDEFINED} is what a condition gives when it
 * reads a property the message does not have, compares values of which one is undefined, or
 * queries a {@code $body} that is not JSON; edgeHub logs it and does not route.
 */
public enum TriState {
  /** The condition holds. */
  TRUE("true"),
  /** The condition does not hold. */
  FALSE("false"),
  /** The condition could not be decided. */
  UNDEFINED("undefined");

  private final String jsonName;

  TriState(String jsonName) {
    this.jsonName = jsonName;
  }

  /**
   * Returns the lower-case name used in JSON and in the route language.
   *
   * @return {@code "true"}, {@code "false"} or {@code "undefined"}.
   */
  public String jsonName() {
    return jsonName;
  }

  /**
   * Converts a Java boolean.
   *
   * @param value The value.
   * @return {@link #TRUE} or {@link #FALSE}.
   */
  public static TriState of(boolean value) {
    return value ? TRUE : FALSE;
  }
}
