package io.edgeai4j.routing;

/** The few .NET library behaviours that edgeHub's route semantics depend on. */
final class DotNet {
  private DotNet() {}

  /** {@code char.IsWhiteSpace}: Unicode separators plus the ASCII and Latin-1 control spaces. */
  static boolean isWhiteSpace(char c) {
    return Character.isSpaceChar(c) || (c >= '\t' && c <= '\r') || c == '\u0085';
  }

  /** {@code string.IsNullOrWhiteSpace} for a non-null string. */
  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isWhiteSpace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code string.Trim()}. */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isWhiteSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isWhiteSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** {@code string.TrimEnd(c)}: removes every trailing {@code c}. */
  static String trimEnd(String s, char c) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == c) {
      end--;
    }
    return s.substring(0, end);
  }

  /** Lower-cases ASCII letters only, as ANTLR's {@code [Aa]} character sets compare. */
  static boolean equalsAsciiIgnoreCase(String text, int offset, String word) {
    if (offset + word.length() > text.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      char c = text.charAt(offset + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** LATIN CAPITAL LETTER I WITH DOT ABOVE, which .NET's invariant lower-casing keeps. */
  private static final int CAPITAL_I_WITH_DOT = 0x0130;

  /** LATIN SMALL LETTER DOTLESS I, which .NET's invariant upper-casing keeps. */
  private static final int SMALL_DOTLESS_I = 0x0131;

  /**
   * Simple (length-preserving) invariant lower-casing, as {@code ToLowerInvariant}: each code
   * point's simple mapping, except that U+0130 stays as it is (.NET's {@code
   * ChangeCaseInvariant}, {@code pal_casing.c} in dotnet/runtime, matches Windows there; Java maps
   * it to {@code i}).
   */
  static String toLowerInvariant(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            cp -> out.appendCodePoint(cp == CAPITAL_I_WITH_DOT ? cp : Character.toLowerCase(cp)));
    return out.toString();
  }

  /**
   * Simple (length-preserving) invariant upper-casing, as {@code ToUpperInvariant}: each code
   * point's simple mapping, except that U+0131 stays as it is (as {@code ChangeCaseInvariant};
   * Java maps it to {@code I}).
   */
  static String toUpperInvariant(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(cp -> out.appendCodePoint(cp == SMALL_DOTLESS_I ? cp : Character.toUpperCase(cp)));
    return out.toString();
  }

  /** {@code double.CompareTo}: NaN sorts below everything, and {@code -0.0 == 0.0}. */
  static int compareDoubles(double a, double b) {
    if (a < b) {
      return -1;
    }
    if (a > b) {
      return 1;
    }
    if (a == b) {
      return 0;
    }
    if (Double.isNaN(a)) {
      return Double.isNaN(b) ? 0 : -1;
    }
    return 1;
  }

  /** {@code string.Compare(a, b, StringComparison.Ordinal)}, where null sorts first. */
  static int compareOrdinal(String a, String b) {
    if (a == null) {
      return b == null ? 0 : -1;
    }
    if (b == null) {
      return 1;
    }
    return Integer.signum(a.compareTo(b));
  }

  /** {@code Math.Sign(double)} for a number that is not NaN. */
  static double sign(double value) {
    return value > 0 ? 1 : value < 0 ? -1 : 0;
  }

  /**
   * {@code Math.Pow} on .NET Core 3.0 and later, which follows IEEE 754 (C99 {@code pow}) where
   * Java does not: a base of 1 gives 1 for every exponent, NaN included, and a base of -1 with an
   * infinite exponent gives 1. (A NaN exponent reaches {@code power} only from {@code $body}
   * arithmetic, such as {@code power(1, $body.zero / $body.zero)}.)
   */
  static double pow(double x, double y) {
    if (x == 1 || (Double.isInfinite(y) && x == -1)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  /**
   * {@code long.TryParse(hex, NumberStyles.HexNumber)} widened to double: up to 16 significant
   * hex digits read as a two's complement 64-bit value.
   *
   * @return The value, or NaN when the digits overflow 64 bits.
   */
  static double parseHexLong(String hexDigits) {
    int start = 0;
    while (start < hexDigits.length() - 1 && hexDigits.charAt(start) == '0') {
      start++;
    }
    String digits = hexDigits.substring(start);
    if (digits.length() > 16) {
      return Double.NaN;
    }
    return (double) Long.parseUnsignedLong(digits, 16);
  }

  /**
   * {@code double.TryParse(s, NumberStyles.Any, CultureInfo.InvariantCulture)} as .NET Core 3.0
   * and later implement it: surrounding white space, a leading or trailing sign or parentheses,
   * the currency sign {@code ¤}, {@code ,} group separators in the integer part, a decimal point,
   * an exponent, and the words {@code Infinity}, {@code -Infinity} and {@code NaN} in any case.
   * Overflow gives an infinity.
   *
   * @return The value, or {@code null} when the text is not a number.
   */
  static Double parseDouble(String s) {
    if (s == null) {
      return null;
    }
    Double number = parseNumber(s);
    if (number != null) {
      return number;
    }
    String trimmed = trim(s);
    if (trimmed.equalsIgnoreCase("Infinity") || trimmed.equalsIgnoreCase("+Infinity")) {
      return Double.POSITIVE_INFINITY;
    }
    if (trimmed.equalsIgnoreCase("-Infinity")) {
      return Double.NEGATIVE_INFINITY;
    }
    if (trimmed.equalsIgnoreCase("NaN")
        || trimmed.equalsIgnoreCase("+NaN")
        || trimmed.equalsIgnoreCase("-NaN")) {
      return Double.NaN;
    }
    return null;
  }

  private static boolean isNumberWhite(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static final char CURRENCY = '\u00a4';

  /** The state machine of .NET's {@code Number.ParseNumber} for the invariant culture. */
  private static Double parseNumber(String s) {
    int n = s.length();
    int p = 0;
    boolean sign = false;
    boolean parens = false;
    boolean negative = false;
    boolean currencyAvailable = true;
    boolean currencySeen = false;
    while (p < n) {
      char c = s.charAt(p);
      if (isNumberWhite(c) && !(sign && !currencySeen)) {
        p++;
      } else if (!sign && (c == '+' || c == '-')) {
        sign = true;
        negative = c == '-';
        p++;
      } else if (!sign && c == '(') {
        sign = true;
        parens = true;
        negative = true;
        p++;
      } else if (currencyAvailable && c == CURRENCY) {
        currencyAvailable = false;
        currencySeen = true;
        p++;
      } else {
        break;
      }
    }
    StringBuilder digits = new StringBuilder();
    int scale = 0;
    boolean anyDigit = false;
    boolean decimal = false;
    while (p < n) {
      char c = s.charAt(p);
      if (c >= '0' && c <= '9') {
        anyDigit = true;
        if (digits.length() > 0 || c != '0') {
          digits.append(c);
          if (!decimal) {
            scale++;
          }
        } else if (decimal) {
          scale--;
        }
        p++;
      } else if (c == '.' && !decimal) {
        decimal = true;
        p++;
      } else if (c == ',' && anyDigit && !decimal) {
        p++;
      } else {
        break;
      }
    }
    if (!anyDigit) {
      return null;
    }
    int exponent = 0;
    if (p < n && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
      int mark = p;
      p++;
      boolean negativeExponent = false;
      if (p < n && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
        negativeExponent = s.charAt(p) == '-';
        p++;
      }
      if (p < n && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
        while (p < n && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
          exponent = Math.min(exponent * 10 + (s.charAt(p) - '0'), 9999);
          p++;
        }
        if (negativeExponent) {
          exponent = -exponent;
        }
      } else {
        p = mark;
      }
    }
    while (p < n) {
      char c = s.charAt(p);
      if (isNumberWhite(c)) {
        p++;
      } else if (!sign && (c == '+' || c == '-')) {
        sign = true;
        negative = c == '-';
        p++;
      } else if (c == ')' && parens) {
        parens = false;
        p++;
      } else if (currencyAvailable && c == CURRENCY) {
        currencyAvailable = false;
        p++;
      } else {
        break;
      }
    }
    if (parens) {
      return null;
    }
    while (p < n && s.charAt(p) == '\0') {
      p++;
    }
    if (p < n) {
      return null;
    }
    double value;
    if (digits.length() == 0) {
      value = 0;
    } else {
      long totalExponent = (long) scale + exponent;
      if (totalExponent > 400) {
        value = Double.POSITIVE_INFINITY;
      } else if (totalExponent < -400) {
        value = 0;
      } else {
        value = Double.parseDouble("0." + digits + "E" + totalExponent);
      }
    }
    return negative ? -value : value;
  }
}
