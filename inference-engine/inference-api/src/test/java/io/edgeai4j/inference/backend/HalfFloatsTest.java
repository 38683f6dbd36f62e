package io.edgeai4j.inference.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** float16 and bfloat16 conversions: known bit patterns, rounding, specials, and exact round trips. */
class HalfFloatsTest {
  @ParameterizedTest(name = "{0} -> float16 {1}")
  @CsvSource(delimiter = '|', value = {
    "1.0            | 3c00",
    "-2.0           | c000",
    "0.0            | 0000",
    "-0.0           | 8000",
    "65504          | 7bff",   // the largest finite float16
    "65519.99       | 7bff",   // below the halfway point to 65536: stays finite
    "65520          | 7c00",   // the halfway point rounds to even, which is infinity
    "1e9            | 7c00",
    "-1e9           | fc00",
    "Infinity       | 7c00",
    "6.103515625E-5 | 0400",   // the smallest normal
    "5.9604645E-8   | 0001",   // the smallest subnormal
    "2.9802322E-8   | 0000",   // exactly half the smallest subnormal: ties to even, zero
    "2.9802326E-8   | 0001",   // just above half: rounds up
    "0.1            | 2e66",
    "1.0009766      | 3c01",   // 1 + 2^-10
    "1.00048828125  | 3c00",   // 1 + 2^-11, a tie: to even (down)
    "1.00146484375  | 3c02",   // 1 + 3 * 2^-11, a tie: to even (up)
  })
  void narrowsToFloat16(float value, String bits) {
    assertThat(hex(HalfFloats.floatToFloat16(value))).isEqualTo(bits);
  }

  @ParameterizedTest(name = "{0} -> bfloat16 {1}")
  @CsvSource(delimiter = '|', value = {
    "1.0        | 3f80",
    "-1.0       | bf80",
    "0.1        | 3dcd",
    "3.0e38     | 7f62",
    "3.4e38     | 7f80",   // rounds past the largest finite bfloat16
    "Infinity   | 7f80",
    "1.00390625 | 3f80",   // 1 + 2^-8, a tie: to even (down)
    "1.01171875 | 3f82",   // 1 + 3 * 2^-8, a tie: to even (up)
  })
  void narrowsToBfloat16(float value, String bits) {
    assertThat(hex(HalfFloats.floatToBfloat16(value))).isEqualTo(bits);
  }

  @Test
  void nanStaysNan() {
    assertThat(Float.isNaN(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(Float.NaN)))).isTrue();
    assertThat(Float.isNaN(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(Float.NaN)))).isTrue();
    // A NaN whose payload sits only in the bits the narrow formats drop stays a NaN, not an infinity.
    float lowPayload = Float.intBitsToFloat(0x7f800001);
    assertThat(Float.isNaN(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(lowPayload)))).isTrue();
    assertThat(Float.isNaN(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(lowPayload)))).isTrue();
  }

  @Test
  void everyFloat16WidensExactlyAndNarrowsBackToItself() {
    for (int bits = 0; bits <= 0xffff; bits++) {
      short half = (short) bits;
      float f = HalfFloats.float16ToFloat(half);
      if (Float.isNaN(f)) {
        assertThat((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0).as("NaN from %04x", bits).isTrue();
        continue;
      }
      assertThat(HalfFloats.floatToFloat16(f)).as("round trip of %04x (%s)", bits, f).isEqualTo(half);
    }
  }

  @Test
  void everyBfloat16WidensExactlyAndNarrowsBackToItself() {
    for (int bits = 0; bits <= 0xffff; bits++) {
      short bfloat = (short) bits;
      float f = HalfFloats.bfloat16ToFloat(bfloat);
      assertThat(Float.floatToRawIntBits(f)).isEqualTo(bits << 16);
      if (!Float.isNaN(f)) {
        assertThat(HalfFloats.floatToBfloat16(f)).as("round trip of %04x", bits).isEqualTo(bfloat);
      }
    }
  }

  @Test
  void elementTypesReadTheirFloatsFromBuffers() {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0x3c00).putShort((short) 0xbf80).putFloat(2.5f).putShort((short) 0x7bff).putShort((short) 0);
    b.flip();
    assertThat(ElementType.FLOAT16.readFloating(b)).isEqualTo(1.0);
    assertThat(ElementType.BFLOAT16.readFloating(b)).isEqualTo(-1.0);
    assertThat(ElementType.FLOAT32.readFloating(b)).isEqualTo(2.5);
    assertThat(ElementType.FLOAT16.readFloating(b)).isEqualTo(65504.0);
    assertThat(ElementType.FLOAT16.isFloatingPoint()).isTrue();
    assertThat(ElementType.INT32.isFloatingPoint()).isFalse();
    assertThat(ElementType.parse("float16")).isEqualTo(ElementType.FLOAT16);
    assertThat(ElementType.parse("bfloat16")).isEqualTo(ElementType.BFLOAT16);
  }

  private static String hex(short bits) {
    return String.format("%04x", bits & 0xffff);
  }
}
