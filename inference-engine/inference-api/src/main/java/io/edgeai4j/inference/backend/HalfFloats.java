package io.edgeai4j.inference.backend;

/**
 * Conversions between {@code float} and the two 16-bit float formats models use: IEEE 754 binary16
 * ({@link ElementType#FLOAT16}) and bfloat16 ({@link ElementType#BFLOAT16}, the upper half of a float32). Widening is
 * exact; narrowing rounds to the nearest value, ties to even, keeps infinities and NaN (as a quiet NaN), and turns a
 * float16 overflow (above 65504 after rounding) into an infinity. Java 17 has no such conversion (Java 20's
 * {@code Float.float16ToFloat} is later), and this API depends on no backend. Stateless and thread-safe.
 */
public final class HalfFloats {
  /** The largest finite float16 value. */
  public static final float FLOAT16_MAX = 65504f;

  private HalfFloats() {}

  /** The float a float16 holds (exact). */
  public static float float16ToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float subnormal = mantissa * 0x1p-24f; // also +-0
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** The float16 nearest to {@code value} (ties to even). */
  public static short floatToFloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      // A float16 subnormal: the float's significand (implicit bit included) shifted into 10 bits.
      if (halfExponent < -10) {
        return (short) sign;
      }
      return (short) (sign | roundShift(mantissa | 0x800000, 14 - halfExponent));
    }
    // Rounding may carry into the exponent, up to infinity: the right result in both cases.
    return (short) (sign | ((halfExponent << 10) + roundShift(mantissa, 13)));
  }

  /** The float a bfloat16 holds (exact). */
  public static float bfloat16ToFloat(short bfloat) {
    return Float.intBitsToFloat((bfloat & 0xffff) << 16);
  }

  /** The bfloat16 nearest to {@code value} (ties to even). */
  public static short floatToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) (roundShift(bits, 16) & 0xffff);
  }

  /** {@code value >>> shift}, rounded to nearest, ties to even ({@code value} non-negative, shift 1 to 30). */
  private static int roundShift(int value, int shift) {
    int kept = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    return rest > half || (rest == half && (kept & 1) != 0) ? kept + 1 : kept;
  }
}
