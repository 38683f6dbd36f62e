package io.edgeai4j.routing;

/** edgeHub's run-time operator tables ({@code Bool}, {@code Null}, {@code ComparisonOperators}). */
final class Operators {
  private Operators() {}

  /** The comparison operators. */
  enum Comparison {
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE;

    static Comparison of(TokenType type) {
      return switch (type) {
        case EQ -> EQ;
        case NE1, NE2 -> NE;
        case LT -> LT;
        case LE -> LE;
        case GT -> GT;
        case GE -> GE;
        default -> throw new IllegalArgumentException("not a comparison: " + type);
      };
    }

    TriState test(int order) {
      return TriState.of(
          switch (this) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
          });
    }
  }

  /** edgeHub's internal encoding of {@code Bool}: false -1, undefined 0, true 1. */
  static int rank(TriState value) {
    return switch (value) {
      case FALSE -> -1;
      case UNDEFINED -> 0;
      case TRUE -> 1;
    };
  }

  /** {@code Bool & Bool}: false wins over undefined. */
  static TriState and(TriState x, TriState y) {
    if (x == TriState.UNDEFINED) {
      return y == TriState.FALSE ? TriState.FALSE : TriState.UNDEFINED;
    }
    if (y == TriState.UNDEFINED) {
      return x == TriState.FALSE ? TriState.FALSE : TriState.UNDEFINED;
    }
    return TriState.of(x == TriState.TRUE && y == TriState.TRUE);
  }

  /** {@code Bool | Bool}: true wins over undefined. */
  static TriState or(TriState x, TriState y) {
    if (x == TriState.UNDEFINED) {
      return y == TriState.TRUE ? TriState.TRUE : TriState.UNDEFINED;
    }
    if (y == TriState.UNDEFINED) {
      return x == TriState.TRUE ? TriState.TRUE : TriState.UNDEFINED;
    }
    return TriState.of(x == TriState.TRUE || y == TriState.TRUE);
  }

  /** {@code !Bool}. */
  static TriState not(TriState x) {
    return switch (x) {
      case TRUE -> TriState.FALSE;
      case FALSE -> TriState.TRUE;
      case UNDEFINED -> TriState.UNDEFINED;
    };
  }

  /** {@code ComparisonOperators.Compare} for two values of the same {@code type}. */
  static TriState compare(Comparison op, Type type, Object a, Object b) {
    switch (type) {
      case STRING -> {
        String x = (String) a;
        String y = (String) b;
        if (Values.isNullOrUndefined(x) || Values.isNullOrUndefined(y)) {
          return TriState.UNDEFINED;
        }
        return op.test(DotNet.compareOrdinal(x, y));
      }
      case DOUBLE -> {
        double x = (Double) a;
        double y = (Double) b;
        if (Double.isNaN(x) || Double.isNaN(y)) {
          return TriState.UNDEFINED;
        }
        return op.test(DotNet.compareDoubles(x, y));
      }
      case BOOL -> {
        TriState x = (TriState) a;
        TriState y = (TriState) b;
        if (x == TriState.UNDEFINED || y == TriState.UNDEFINED) {
          return TriState.UNDEFINED;
        }
        return op.test(rank(x) - rank(y));
      }
      case NULL -> {
        return TriState.of(op == Comparison.EQ || op == Comparison.LE || op == Comparison.GE);
      }
      case UNDEFINED -> {
        return TriState.UNDEFINED;
      }
      case QUERY -> {
        QueryValue x = (QueryValue) a;
        QueryValue y = (QueryValue) b;
        if (x.kind() == QueryValue.Kind.NONE || y.kind() == QueryValue.Kind.NONE) {
          return TriState.UNDEFINED;
        }
        return op.test(x.compareTo(y));
      }
      default -> throw new IllegalArgumentException("unknown type " + type);
    }
  }

  /** {@code QueryValue} arithmetic: a number only when both operands are numbers (NaN kept). */
  static QueryValue arithmetic(TokenType op, QueryValue x, QueryValue y) {
    if (x.kind() != QueryValue.Kind.DOUBLE || y.kind() != QueryValue.Kind.DOUBLE) {
      return QueryValue.UNDEFINED;
    }
    return QueryValue.ofDoubleKeepingNaN(arithmetic(op, x.doubleValue(), y.doubleValue()));
  }

  /** Double arithmetic, IEEE 754 as in .NET. */
  static double arithmetic(TokenType op, double x, double y) {
    return switch (op) {
      case PLUS -> x + y;
      case MINUS -> x - y;
      case STAR -> x * y;
      case SLASH -> x / y;
      case PERCENT -> x % y;
      default -> throw new IllegalArgumentException("not arithmetic: " + op);
    };
  }
}
