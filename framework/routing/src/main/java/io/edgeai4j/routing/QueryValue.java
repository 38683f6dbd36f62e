package io.edgeai4j.routing;

/**
 * edgeHub's {@code QueryValue}: a dynamically typed value, produced by a {@code $body} query or by
 * converting a statically typed value to take part in an operation with one.
 *
 * <p>Identity matters in two places, as in edgeHub: {@link #UNDEFINED} and {@link #MISSING} are
 * singletons. {@link #MISSING} is what a query that selects nothing returns; it has kind {@link
 * Kind#NULL} but {@code is_null} tells it apart from a JSON {@code null} by reference.
 */
final class QueryValue {
  /** The kinds, in the order edgeHub compares values of different kinds. */
  enum Kind {
    NONE,
    BOOL,
    DOUBLE,
    STRING,
    NULL,
    OBJECT
  }

  /** The undefined value. */
  static final QueryValue UNDEFINED = new QueryValue(Kind.NONE, null);

  /** edgeHub's {@code QueryValue.Null}: the result of a query that selected nothing. */
  static final QueryValue MISSING = new QueryValue(Kind.NULL, Values.Special.NULL);

  private final Kind kind;
  private final Object value;

  private QueryValue(Kind kind, Object value) {
    this.kind = kind;
    this.value = value;
  }

  static QueryValue ofString(String value) {
    return new QueryValue(Kind.STRING, value);
  }

  /** A double query value; NaN converts to {@link #UNDEFINED}, as edgeHub's implicit conversion. */
  static QueryValue ofDouble(double value) {
    return Double.isNaN(value) ? UNDEFINED : new QueryValue(Kind.DOUBLE, value);
  }

  /** A double query value that keeps NaN, as edgeHub's query-value arithmetic does. */
  static QueryValue ofDoubleKeepingNaN(double value) {
    return new QueryValue(Kind.DOUBLE, value);
  }

  static QueryValue ofBool(TriState value) {
    return value == TriState.UNDEFINED ? UNDEFINED : new QueryValue(Kind.BOOL, value);
  }

  /** A fresh null value (not {@link #MISSING}). */
  static QueryValue ofNull() {
    return new QueryValue(Kind.NULL, Values.Special.NULL);
  }

  /** An object, array, date or other non-scalar. */
  static QueryValue ofObject(Object value) {
    return new QueryValue(Kind.OBJECT, value);
  }

  Kind kind() {
    return kind;
  }

  String stringValue() {
    return (String) value;
  }

  double doubleValue() {
    return (Double) value;
  }

  TriState boolValue() {
    return (TriState) value;
  }

  /** The explicit conversion to {@code Bool}: a boolean's value, else undefined. */
  TriState toBool() {
    return kind == Kind.BOOL ? (TriState) value : TriState.UNDEFINED;
  }

  /** {@code QueryValue.CompareTo} for two defined values. */
  int compareTo(QueryValue other) {
    if (kind != other.kind) {
      return Integer.signum(kind.ordinal() - other.kind.ordinal());
    }
    return switch (kind) {
      case BOOL -> Integer.signum(Operators.rank(boolValue()) - Operators.rank(other.boolValue()));
      case STRING -> DotNet.compareOrdinal(stringValue(), other.stringValue());
      case DOUBLE -> DotNet.compareDoubles(doubleValue(), other.doubleValue());
      case NULL -> 0;
        // edgeHub compares objects by reference only; $body queries never yield them here.
      case OBJECT -> value == other.value ? 0 : 1;
      case NONE -> throw new IllegalStateException("undefined values are not ordered");
    };
  }

  @Override
  public String toString() {
    return kind + "(" + value + ")";
  }
}
