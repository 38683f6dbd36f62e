package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conditions evaluated against the fixture message: every literal form, operator and built-in
 * function, with true, false and undefined outcomes. The table is {@code conditions.csv}.
 */
class ConditionEvaluationTest {
  @ParameterizedTest(name = "{0} => {1}")
  @CsvFileSource(
      resources = "/io/edgeai4j/routing/conditions.csv",
      delimiterString = " => ",
      quoteCharacter = '`')
  void evaluatesAgainstTheFixtureMessage(String condition, TriState expected)
      throws RouteException {
    assertThat(Fixtures.evaluate(condition, Fixtures.MESSAGE)).isEqualTo(expected);
  }

  /**
   * edgeHub's lexer takes the longest match, and names may contain {@code - + . ' !} and more, so
   * these are property names, not expressions.
   */
  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          a-b = 'dash'                => TRUE
          A-B = 'dash'                => TRUE
          x.y = 'dot'                 => TRUE
          3+4 = 'seven'               => TRUE
          True = 'capital'            => TRUE
          -n = 'negative'             => TRUE
          key1! = 'bang'              => TRUE
          'q' = 'quoted'              => FALSE
          is_defined('a'||'b')        => FALSE
          'a' || 'b' = 'ab'           => TRUE
          """)
  void namesFollowEdgeHubsLongestMatchLexer(String condition, TriState expected)
      throws RouteException {
    RoutingMessage message =
        new RoutingMessage(
            MessageSource.TELEMETRY_PATH,
            Fixtures.props(
                "a-b", "dash", "x.y", "dot", "3+4", "seven", "True", "capital", "-n", "negative",
                "key1!", "bang", "'q'", "quoted"),
            null,
            null);
    assertThat(Fixtures.evaluate(condition, message)).isEqualTo(expected);
  }

  @Test
  void stringsMayContainLineBreaks() throws RouteException {
    assertThat(Fixtures.evaluate("length('a\nb\r\nc') = 6", Fixtures.MESSAGE))
        .isEqualTo(TriState.TRUE);
  }

  @Test
  void aSlashStarInTheSourceStartsACommentThatAStarSlashInTheConditionCloses() {
    // edgeHub's lexer sees "/* WHERE key1 = '*/" as a comment, then an unterminated string.
    assertThatThrownBy(
            () -> Route.parse("FROM /messages/* WHERE key1 = '*/' INTO $upstream"))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("unterminated string")
        .hasMessageContaining("the '/*' at position 14 starts a comment");
  }

  @Test
  void aRouteWithoutWhereIsTrue() throws RouteException {
    Route route = Route.parse("FROM /messages/* INTO $upstream");
    assertThat(route.condition().text()).isEqualTo("true");
    assertThat(route.condition().evaluate(Fixtures.MESSAGE)).isEqualTo(TriState.TRUE);
  }

  @Test
  void anEmptyStandaloneConditionIsUndefined() throws RouteException {
    assertThat(Compiler.compileCondition("  ", MessageSource.of("/")).evaluate(Fixtures.MESSAGE))
        .isEqualTo(TriState.UNDEFINED);
  }

  @Test
  void standaloneConditionsIgnoreTokensAfterACompleteExpression() throws RouteException {
    // As edgeHub's RouteCompiler, whose condition rule has no end-of-input.
    assertThat(
            Compiler.compileCondition("true false", MessageSource.of("/"))
                .evaluate(Fixtures.MESSAGE))
        .isEqualTo(TriState.TRUE);
    assertThat(
            Compiler.compileCondition("true )", MessageSource.of("/")).evaluate(Fixtures.MESSAGE))
        .isEqualTo(TriState.TRUE);
  }

  @Test
  void aStandaloneConditionRejectsAnExtraParenthesisAfterAGroupOrCall() {
    // ANTLR picks edgeHub's SyntaxErrorExtraParens alternatives here rather than stopping early.
    assertThatThrownBy(() -> Compiler.compileCondition("(true) )", MessageSource.of("/")))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("unmatched ')'");
    assertThatThrownBy(() -> Compiler.compileCondition("is_defined(x))", MessageSource.of("/")))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("unmatched ')'");
  }

  @Test
  void conditionsSeeWhiteSpaceAndCommentsAsSeparators() throws RouteException {
    assertThat(
            Fixtures.evaluate(
                "\tkey1\r\n=\n'value1' /* first */ AND /* second */ $sys1 = 'sysvalue1'",
                Fixtures.MESSAGE))
        .isEqualTo(TriState.TRUE);
  }
}
