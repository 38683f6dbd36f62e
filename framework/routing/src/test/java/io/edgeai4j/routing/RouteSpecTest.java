package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** edgeHub's limits on route priority and TTL. */
class RouteSpecTest {
  private static Route route() throws RouteException {
    return Route.parse("FROM /messages INTO $upstream");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 9, RouteSpec.DEFAULT_PRIORITY})
  void acceptsPrioritiesZeroToNineAndTheDefault(int priority) throws RouteException {
    assertThat(new RouteSpec("r", route(), priority, null).priority()).isEqualTo(priority);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 10, 100, RouteSpec.DEFAULT_PRIORITY - 1, Integer.MAX_VALUE})
  void rejectsOtherPriorities(int priority) throws RouteException {
    Route route = route();

    assertThatThrownBy(() -> new RouteSpec("r", route, priority, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priority can only be between 0-9");
  }

  @Test
  void validatesTheTimeToLive() throws RouteException {
    Route route = route();

    assertThat(new RouteSpec("r", route, 0, Duration.ofHours(2)).timeToLive())
        .isEqualTo(Duration.ofHours(2));
    assertThat(new RouteSpec("r", route, 0, Duration.ZERO).timeToLive()).isNull();
    assertThat(new RouteSpec("r", route, 0, Duration.ofSeconds(4_294_967_295L)).timeToLive())
        .isNotNull();
    assertThatThrownBy(() -> new RouteSpec("r", route, 0, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RouteSpec("r", route, 0, Duration.ofSeconds(4_294_967_296L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void needsANameAndARoute() throws RouteException {
    Route route = route();

    assertThatThrownBy(() -> new RouteSpec(" ", route, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RouteSpec(null, route, 0, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new RouteSpec("r", null, 0, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void defaultsToTheDefaultPriorityAndTheGlobalTtl() throws RouteException {
    RouteSpec spec = new RouteSpec("r", route());

    assertThat(spec.priority()).isEqualTo(2_000_000_000);
    assertThat(spec.timeToLive()).isNull();
  }
}
