package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One delivery per endpoint, at the best priority, as edgeHub's Evaluator decides. */
class RouteTableTest {
  private static final ModuleInputSink FILTER = new ModuleInputSink("filter", "in");
  private static final ModuleInputSink ARCHIVE = new ModuleInputSink("archive", "in");

  private static RouteSpec spec(String name, String route, int priority, Integer ttlSeconds)
      throws RouteException {
    return new RouteSpec(
        name,
        Route.parse(route),
        priority,
        ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds));
  }

  private static final String TO_FILTER =
      " INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")";
  private static final String TO_ARCHIVE =
      " INTO BrokeredEndpoint(\"/modules/archive/inputs/in\")";

  @Test
  void keepsTheBestPriorityRoutePerEndpoint() throws RouteException {
    RouteTable table =
        new RouteTable(
            List.of(
                spec("low", "FROM /messages/*" + TO_FILTER, 5, 3600),
                spec("best", "FROM /messages WHERE key1 = 'value1'" + TO_FILTER, 1, 60),
                spec("middle", "FROM /*" + TO_FILTER, 3, null),
                spec("archive", "FROM /messages" + TO_ARCHIVE, RouteSpec.DEFAULT_PRIORITY, null),
                spec("up", "FROM /messages INTO $upstream", 9, 120)));

    assertThat(table.evaluate(Fixtures.MESSAGE))
        .containsExactly(
            new RouteMatch(FILTER, 1, Duration.ofSeconds(60), "best"),
            new RouteMatch(ARCHIVE, RouteSpec.DEFAULT_PRIORITY, null, "archive"),
            new RouteMatch(UpstreamSink.INSTANCE, 9, Duration.ofSeconds(120), "up"));
  }

  @Test
  void onAPriorityTieKeepsTheRouteListedFirst() throws RouteException {
    RouteTable table =
        new RouteTable(
            List.of(
                spec("first", "FROM /messages" + TO_FILTER, 2, 10),
                spec("second", "FROM /messages" + TO_FILTER, 2, 20)));

    assertThat(table.evaluate(Fixtures.MESSAGE))
        .containsExactly(new RouteMatch(FILTER, 2, Duration.ofSeconds(10), "first"));
  }

  @Test
  void ignoresRoutesWhoseSourceDoesNotMatchOrWhoseConditionIsNotTrue() throws RouteException {
    RouteTable table =
        new RouteTable(
            List.of(
                spec("other-module", "FROM /messages/modules/abc/*" + TO_FILTER, 0, null),
                spec("twin", "FROM /twinChangeNotifications INTO $upstream", 0, null),
                spec("false", "FROM /messages WHERE key1 = 'nope'" + TO_ARCHIVE, 0, null),
                spec("undefined", "FROM /messages WHERE missing = 'x' INTO $upstream", 0, null)));

    assertThat(table.evaluate(Fixtures.MESSAGE)).isEmpty();
  }

  @Test
  void evaluatesEachRouteAgainstItsOwnSource() throws RouteException {
    RouteTable table =
        new RouteTable(
            List.of(
                spec("abc", "FROM /messages/modules/abc/*" + TO_FILTER, 0, null),
                spec("abcd", "FROM /messages/modules/abcd/*" + TO_ARCHIVE, 0, null)));
    RoutingMessage fromAbcd =
        new RoutingMessage(MessageSource.moduleOutputPath("abcd", "out"), null, null, null);

    assertThat(table.evaluate(fromAbcd)).extracting(RouteMatch::routeName).containsExactly("abcd");
  }

  @Test
  void rejectsDuplicateNamesAndKeepsItsRoutes() throws RouteException {
    RouteSpec a = spec("a", "FROM /messages INTO $upstream", 0, null);

    assertThatThrownBy(() -> new RouteTable(List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate route name: a");
    assertThat(new RouteTable(List.of(a)).routes()).containsExactly(a);
    assertThat(new RouteTable(List.of()).evaluate(Fixtures.MESSAGE)).isEmpty();
  }
}
