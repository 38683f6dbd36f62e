package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a valid route parses to: source, condition text and sink. */
class RouteParseTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          FROM /messages/* INTO $upstream                                              => /messages/ => true => $upstream
          SELECT * FROM /messages/* INTO $upstream                                     => /messages/ => true => $upstream
          select * from /messages into $upstream                                       => /messages/ => true => $upstream
          `  FrOm /messages wHeRe key1 = 'x' InTo $upstream  `                         => /messages/ => key1 = 'x' => $upstream
          SELECT * FROM /messages/modules/abc/outputs/* WHERE a = 'b' AND c = 'd' INTO $upstream => /messages/modules/abc/outputs/ => a = 'b' AND c = 'd' => $upstream
          FROM /messages WHERE   (as_number(a) = 1 )   INTO BrokeredEndpoint("/modules/m/inputs/i") => /messages/ => (as_number(a) = 1 ) => m/i
          FROM /messages WHERE a = 'x' /* why */ OR b = 'y' /* end */ INTO $upstream   => /messages/ => a = 'x' /* why */ OR b = 'y' => $upstream
          FROM / messages / modules INTO $upstream                                     => /messages/modules/ => true => $upstream
          FROM /* INTO $upstream                                                       => / => true => $upstream
          FROM /messages/modules/my-module.v2/outputs/out_1 INTO $upstream             => /messages/modules/my-module.v2/outputs/out_1/ => true => $upstream
          """)
  void parsesSourceConditionAndSink(
      String text, String pattern, String condition, String endpointId) throws RouteException {
    Route route = Route.parse(text);

    assertThat(route.text()).isEqualTo(text);
    assertThat(route.source().pattern()).isEqualTo(pattern);
    assertThat(route.condition().text()).isEqualTo(condition);
    assertThat(route.sink().endpointId()).isEqualTo(endpointId);
  }

  @Test
  void ignoresEverythingAfterTheSinkAsEdgeHubDoes() throws RouteException {
    Route route = Route.parse("FROM /messages INTO $upstream WHERE false");

    assertThat(route.condition().text()).isEqualTo("true");
    assertThat(route.matches(Fixtures.MESSAGE)).isTrue();
  }

  @Test
  void matchesNeedsTheSourceAndATrueCondition() throws RouteException {
    RoutingMessage fromModule =
        new RoutingMessage(
            MessageSource.moduleOutputPath("abc", "out"), Fixtures.MESSAGE.properties(), null, null);

    assertThat(Fixtures.route("/messages/modules/abc/*", "key1 = 'value1'").matches(fromModule))
        .isTrue();
    assertThat(Fixtures.route("/messages/modules/abc/*", "key1 = 'other'").matches(fromModule))
        .isFalse();
    assertThat(Fixtures.route("/messages/modules/abc/*", "missing = 'x'").matches(fromModule))
        .isFalse();
    assertThat(Fixtures.route("/messages/modules/xyz/*", "key1 = 'value1'").matches(fromModule))
        .isFalse();
  }

  @Test
  void routesAreEqualWhenTheirTextsAre() throws RouteException {
    Route a = Route.parse("FROM /messages INTO $upstream");

    assertThat(a)
        .isEqualTo(Route.parse("FROM /messages INTO $upstream"))
        .hasSameHashCodeAs(Route.parse("FROM /messages INTO $upstream"))
        .isNotEqualTo(Route.parse("FROM /messages/* INTO $upstream"))
        .hasToString("FROM /messages INTO $upstream");
  }

  @Test
  void conditionsAreSafeToShareBetweenThreads() throws Exception {
    Route route =
        Fixtures.route(
            "/messages", "$body.n > 5 AND key1 = 'value1' AND as_number(key2) = 3");
    RoutingMessage message =
        new RoutingMessage(
            "/messages/",
            Fixtures.MESSAGE.properties(),
            Fixtures.props("contentType", "application/json", "contentEncoding", "utf-8"),
            "{\"n\": 6}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<TriState>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> route.condition().evaluate(message)));
      }
      for (java.util.concurrent.Future<TriState> result : results) {
        assertThat(result.get()).isEqualTo(TriState.TRUE);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
