package io.edgeai4j.routing;

/**
 * Run-time representation of condition values, one per {@link Type}, mirroring edgeHub's.
 *
 * <ul>
 *   <li>{@link Type#STRING}: a {@link String}, {@code null} for a property whose value is null,
 *       or the {@link #UNDEFINED_STRING} sentinel (compared by reference, as edgeHub does);
 *   <li>{@link Type#DOUBLE}: a {@link Double}, where NaN means undefined;
 *   <li>{@link Type#BOOL}: a {@link TriState};
 *   <li>{@link Type#NULL} and {@link Type#UNDEFINED}: {@link Special#NULL} and {@link
 *       Special#UNDEFINED};
 *   <li>{@link Type#QUERY}: a {@link QueryValue}.
 * </ul>
 */
final class Values {
  private Values() {}

  /** The undefined string. A distinct instance: only this reference means undefined. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  static final String UNDEFINED_STRING = new String("undefined");

  /** The values of the {@code Null} and {@code Undefined} types. */
  enum Special {
    NULL,
    UNDEFINED
  }

  /** {@code Undefined.IsDefined(string)}: only the sentinel is undefined; null is defined. */
  static boolean isDefined(String value) {
    return value != UNDEFINED_STRING;
  }

  /** {@code string.IsNullOrUndefined()}. */
  static boolean isNullOrUndefined(String value) {
    return value == null || value == UNDEFINED_STRING;
  }

  /** Converts a value of {@code type} to a query value, as edgeHub's implicit conversions do. */
  static QueryValue toQuery(Type type, Object value) {
    return switch (type) {
      case STRING -> {
        String s = (String) value;
        yield isDefined(s) ? QueryValue.ofString(s) : QueryValue.UNDEFINED;
      }
      case DOUBLE -> QueryValue.ofDouble((Double) value);
      case BOOL -> QueryValue.ofBool((TriState) value);
      case NULL -> QueryValue.ofNull();
      case UNDEFINED -> QueryValue.UNDEFINED;
      case QUERY -> (QueryValue) value;
    };
  }

  /** Converts a value of {@code type} to {@code Bool}, as edgeHub does with a condition's result. */
  static TriState toBool(Type type, Object value) {
    return switch (type) {
      case BOOL -> (TriState) value;
      case NULL -> TriState.FALSE;
      case QUERY -> ((QueryValue) value).toBool();
      case STRING, DOUBLE, UNDEFINED -> TriState.UNDEFINED;
    };
  }

  /** {@code Undefined.IsDefined} for a value of {@code type}. */
  static boolean isDefined(Type type, Object value) {
    return switch (type) {
      case STRING -> isDefined((String) value);
      case DOUBLE -> !Double.isNaN((Double) value);
      case BOOL -> value != TriState.UNDEFINED;
      case NULL -> true;
      case UNDEFINED -> false;
      case QUERY -> ((QueryValue) value).kind() != QueryValue.Kind.NONE;
    };
  }
}
