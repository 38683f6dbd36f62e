package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code twin_change_includes}, which only routes on {@code /twinChangeNotifications}. */
class TwinChangeIncludesTest {
  private static final String PATCH =
      """
      {"properties": {"reported": {"firmware": {"version": "1.2.0"}, "removed": null},
                      "desired": {}},
       "tags": {"site": "north"}}
      """;

  private static RoutingMessage twinChange(String body) {
    return new RoutingMessage(
        MessageSource.TWIN_CHANGE_NOTIFICATIONS_PATH,
        null,
        Fixtures.props(
            "messageType", "twinChangeNotification",
            "contentType", "application/json",
            "contentEncoding", "utf-8"),
        body.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          twin_change_includes(properties.reported.firmware)                  => TRUE
          twin_change_includes(properties.reported.firmware.version)          => TRUE
          TWIN_CHANGE_INCLUDES(properties.reported.removed)                   => TRUE
          twin_change_includes(tags.site)                                     => TRUE
          twin_change_includes(properties.reported.other)                     => FALSE
          twin_change_includes(properties.desired.firmware)                   => FALSE
          twin_change_includes(Properties.Reported.firmware)                  => FALSE
          not twin_change_includes(properties.reported.other)                 => TRUE
          twin_change_includes(tags.x) or twin_change_includes(tags.site)     => TRUE
          twin_change_includes(tags.site) = true                              => TRUE
          """)
  void reportsWhetherThePatchTouchesAPath(String condition, TriState expected)
      throws RouteException {
    Route route = Fixtures.route("/twinChangeNotifications", condition);

    assertThat(route.condition().evaluate(twinChange(PATCH))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[1, 2]"})
  void isUndefinedWhenTheBodyIsNotAJsonObject(String body) throws RouteException {
    Route route =
        Fixtures.route("/twinChangeNotifications", "twin_change_includes(tags.site)");

    assertThat(route.condition().evaluate(twinChange(body))).isEqualTo(TriState.UNDEFINED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/twinChangeNotifications",
        "/twinChangeNotifications/*",
        "/TWINCHANGENOTIFICATIONS",
        "/twinChangeNotifications**"
      })
  void isAcceptedOnlyWithTheTwinChangeSource(String source) throws RouteException {
    Route route = Fixtures.route(source, "twin_change_includes(tags.site)");

    assertThat(route.source().pattern()).isEqualToIgnoringCase("/twinChangeNotifications/");
  }

  @Test
  void doesNotEvaluateItsArgumentAsAnExpression() throws RouteException {
    // edgeHub reads the argument's text; an unknown "function" inside it is not an error.
    Route route =
        Fixtures.route(
            "/twinChangeNotifications", "twin_change_includes(properties.reported.f(x))");

    assertThat(route.condition().evaluate(twinChange(PATCH))).isEqualTo(TriState.UNDEFINED);
  }
}
