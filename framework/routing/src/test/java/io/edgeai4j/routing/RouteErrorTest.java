package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Routes edgeHub rejects: where the error is and what the message says. */
class RouteErrorTest {
  @ParameterizedTest(name = "{0}")
  @CsvFileSource(
      resources = "/io/edgeai4j/routing/route-errors.csv",
      delimiterString = " => ",
      quoteCharacter = '`')
  void reportsPositionFoundAndExpected(String route, int position, String message) {
    RouteException error = catchThrowableOfType(RouteException.class, () -> Route.parse(route));

    assertThat(error).as("parsing %s", route).isNotNull();
    assertThat(error.position()).as("position in %s", route).isEqualTo(position);
    assertThat(error.routeText()).isEqualTo(route);
    assertThat(error.detail()).contains(message);
    assertThat(error.getMessage())
        .isEqualTo("Route error at position " + position + ": " + error.detail());
  }

  @Test
  void anEmptyRouteIsAnErrorAtPositionZero() {
    RouteException error = catchThrowableOfType(RouteException.class, () -> Route.parse("  "));

    assertThat(error.getMessage())
        .isEqualTo(
            "Route error at position 2: expected FROM or SELECT * FROM but found end of route");
  }

  @Test
  void anExceptionWithoutPositionSaysSo() {
    RouteException error = new RouteException(null, -5, "something");

    assertThat(error.position()).isEqualTo(-1);
    assertThat(error.getMessage()).isEqualTo("Route error: something");
  }

  @Test
  void deeplyNestedConditionsAreRejectedRatherThanOverflowingTheStack() {
    String condition = "(".repeat(5000) + "true" + ")".repeat(5000);

    RouteException error =
        catchThrowableOfType(
            RouteException.class,
            () -> Route.parse("FROM /messages WHERE " + condition + " INTO $upstream"));

    assertThat(error.detail()).contains("nested too deeply");
  }

  @Test
  void veryLongOperatorChainsAreRejectedRatherThanOverflowingTheStack() {
    String condition = "true" + " and true".repeat(3000);

    RouteException error =
        catchThrowableOfType(
            RouteException.class,
            () -> Route.parse("FROM /messages WHERE " + condition + " INTO $upstream"));

    assertThat(error.detail()).contains("nested too deeply");
  }

  @Test
  void longButReasonableChainsWork() throws RouteException {
    String condition = "key1 = 'x'" + " or key1 = 'x'".repeat(300) + " or key2 = '3'";

    Route route = Route.parse("FROM /messages WHERE " + condition + " INTO $upstream");

    assertThat(route.condition().evaluate(Fixtures.MESSAGE)).isEqualTo(TriState.TRUE);
  }
}
