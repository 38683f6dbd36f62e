package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The values (before conversion to a TriState) of literals and arithmetic. */
class ExpressionValueTest {
  private static Object value(String expression) throws RouteException {
    return Compiler.compileCondition(expression, MessageSource.of("/messages"))
        .value(Fixtures.MESSAGE);
  }

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          250               => 250.0
          0250              => 250.0
          -0.125            => -0.125
          ((((8))))         => 8.0
          6.02e23           => 6.02E23
          6.02E+23          => 6.02E23
          25e-2             => 0.25
          0xCAFE            => 51966.0
          0xcafe            => 51966.0
          9 - 2 * 3         => 3.0
          (9 - 2) * 3       => 21.0
          9 - 2 - 3         => 4.0
          8 / 2 / 2         => 2.0
          2 - -2            => 4.0
          -(0.5 + 1)        => -1.5
          10 % 4            => 2.0
          -9 / 0            => -Infinity
          9 / 0             => Infinity
          0 % 9             => 0.0
          0 % 0             => NaN
          """)
  void computesNumbers(String expression, double expected) throws RouteException {
    assertThat(value(expression)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          `''`                           => ``
          `"two words "`                 => `two words `
          `'don\\'t'`                    => `don't`
          `"a \\"quoted\\" word"`        => `a "quoted" word`
          `'caf\\u00e9'`                 => `café`
          `'caf\\u00E9'`                 => `café`
          `'\\\\'`                       => `\\`
          """)
  void unescapesStrings(String expression, String expected) throws RouteException {
    assertThat(value(expression)).isEqualTo(expected == null ? "" : expected);
  }
}
