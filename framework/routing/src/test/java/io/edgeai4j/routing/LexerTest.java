package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The longest-match lexer and its tie-breaking by rule order. */
class LexerTest {
  private static String types(String text) {
    List<Token> tokens = Lexer.tokenize(text);
    return String.join(
        " ", tokens.subList(0, tokens.size() - 1).stream().map(t -> t.type().name()).toList());
  }

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          SELECT select SeLeCt selected                => SELECT SELECT SELECT ID
          FROM WHERE INTO into                          => FROM WHERE INTO INTO
          AND and Or NOT android                        => AND AND OR NOT ID
          true false null undefined                     => TRUE FALSE NULL UNDEFINED
          TRUE False NULL Undefined                     => ID ID ID ID
          3 -3 3-3 3 - 3                                => INTEGER INTEGER ID INTEGER MINUS INTEGER
          3+4 3 + 4                                     => ID INTEGER PLUS INTEGER
          0x1F 0x 0XaB                                  => HEX ID HEX
          1.5 .5 -.5 1e3 1E-3 e5 1.5e 1.                => REAL REAL REAL REAL REAL REAL ID ID
          'a' "b" 'a'x 'a b' 'a                         => STRING STRING ID STRING UNTERMINATED_STRING
          `'it\\'s' "\\u00e9"`                          => STRING STRING
          `"bad \\q escape"`                            => UNTERMINATED_STRING UNKNOWN ID ID UNTERMINATED_STRING
          $sys $a.b[0] $ {$x}                           => SYS_PROP SYS_PROP ID LBRACE SYS_PROP RBRACE
          a[0] a.b -a a!                                => QUERY_PATH ID ID ID
          = != <> < <= > >= || ?? | !                   => EQ NE1 NE2 LT LE GT GE CONCAT COALESCE ID ID
          * ** / % + - ( ) ,                            => STAR ID SLASH PERCENT PLUS MINUS LPAREN RPAREN COMMA
          @ ; : ? \\                                    => UNKNOWN UNKNOWN UNKNOWN UNKNOWN UNKNOWN
          a /* comment */ b /* open                     => ID ID SLASH STAR ID
          """)
  void takesTheLongestMatchAndBreaksTiesByRuleOrder(String text, String expected) {
    assertThat(types(text)).isEqualTo(expected);
  }

  @Test
  void recordsPositionsAndEndsWithEof() {
    List<Token> tokens = Lexer.tokenize("  key1 = 'x'");

    assertThat(tokens)
        .extracting(Token::start)
        .containsExactly(2, 7, 9, 12);
    assertThat(tokens.get(3).type()).isEqualTo(TokenType.EOF);
    assertThat(tokens.get(2).text()).isEqualTo("'x'");
  }
}
