package io.edgeai4j.routing;

/**
 * The compile-time types of edgeHub's condition expressions.
 *
 * <p>edgeHub compiles conditions to .NET expression trees, so every sub-expression has a static
 * type, and operators and built-in functions accept only certain types. {@link #QUERY} is
 * edgeHub's {@code QueryValue}: the dynamically typed result of a {@code $body} query.
 */
enum Type {
  STRING("String"),
  DOUBLE("Double"),
  BOOL("Bool"),
  NULL("Null"),
  UNDEFINED("Undefined"),
  QUERY("$body value");

  private final String displayName;

  Type(String displayName) {
    this.displayName = displayName;
  }

  /** The name used in error messages. */
  String displayName() {
    return displayName;
  }

  /** {@code QueryValue.IsSupportedType}: the types that convert implicitly to a query value. */
  boolean convertsToQuery() {
    return this == NULL || this == DOUBLE || this == STRING || this == BOOL;
  }
}
