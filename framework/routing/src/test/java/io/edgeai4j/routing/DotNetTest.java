package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The .NET behaviours the route semantics rest on. */
class DotNetTest {
  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      nullValues = "FAIL",
      textBlock =
          """
          42                => 42.0
          -42               => -42.0
          +42               => 42.0
          ` 42 `            => 42.0
          `\t42\n`          => 42.0
          42-               => -42.0
          (42)              => -42.0
          1,000,000.25      => 1000000.25
          1,,0              => 10.0
          ,1                => FAIL
          1.5e3             => 1500.0
          1.5E+3            => 1500.0
          15e-1             => 1.5
          1e                => FAIL
          .25               => 0.25
          25.               => 25.0
          .                 => FAIL
          ¤12               => 12.0
          12¤               => 12.0
          -¤12              => -12.0
          ` - 12`           => FAIL
          (12               => FAIL
          12)               => FAIL
          +-12              => FAIL
          0x1F              => FAIL
          1e9999            => Infinity
          -1e9999           => -Infinity
          1e-9999           => 0.0
          0.1               => 0.1
          123456789012345678901234567890 => 1.2345678901234568E29
          Infinity          => Infinity
          infinity          => Infinity
          +Infinity         => Infinity
          -INFINITY         => -Infinity
          NaN               => NaN
          ''                => FAIL
          abc               => FAIL
          """)
  void parsesDoublesLikeDoubleTryParseWithNumberStylesAny(String text, Double expected) {
    String input = text.equals("''") ? "" : text.replace("\\t", "\t").replace("\\n", "\n");

    assertThat(DotNet.parseDouble(input)).isEqualTo(expected);
  }

  @Test
  void comparesDoublesLikeDotNet() {
    assertThat(DotNet.compareDoubles(-0.0, 0.0)).isZero();
    assertThat(DotNet.compareDoubles(Double.NaN, 1)).isNegative();
    assertThat(DotNet.compareDoubles(1, Double.NaN)).isPositive();
    assertThat(DotNet.compareDoubles(Double.NaN, Double.NaN)).isZero();
  }

  @Test
  void trimsDotNetWhiteSpace() {
    assertThat(DotNet.trim("\u00a0\u2003 x \u0085")).isEqualTo("x");
    assertThat(DotNet.isBlank("\u00a0\t")).isTrue();
  }

  @Test
  void casesOneCharacterAtATime() {
    assertThat(DotNet.toUpperInvariant("ßtraße")).isEqualTo("ßTRAßE");
    assertThat(DotNet.toLowerInvariant("İSTANBUL")).hasSize(8);
  }

  @Test
  void readsHexAsA64BitTwosComplementValue() {
    assertThat(DotNet.parseHexLong("7FFFFFFFFFFFFFFF")).isEqualTo(9.223372036854775807E18);
    assertThat(DotNet.parseHexLong("8000000000000000")).isEqualTo(-9.223372036854775808E18);
    assertThat(DotNet.parseHexLong("00000000000000000000FF")).isEqualTo(255);
    assertThat(DotNet.parseHexLong("10000000000000000")).isNaN();
  }
}
