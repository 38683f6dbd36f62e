package io.edgeai4j.ingestion.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static List<Long> next(Backoff backoff, int count) {
    return Stream.generate(backoff::next).limit(count).map(Duration::toMillis).toList();
  }

  @Test
  void delaysDoubleFromOneSecondUpToThirtySeconds() {
    Backoff backoff = Backoff.forPollInterval(Duration.ofSeconds(5));

    assertThat(next(backoff, 8)).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
  }

  @Test
  void aShortPollIntervalIsTheFirstDelay() {
    Backoff backoff = Backoff.forPollInterval(Duration.ofMillis(100));

    assertThat(next(backoff, 3)).containsExactly(100L, 200L, 400L);
  }

  @Test
  void resetStartsAgainFromTheFirstDelay() {
    Backoff backoff = Backoff.forPollInterval(Duration.ofMillis(100));
    next(backoff, 5);

    backoff.reset();

    assertThat(next(backoff, 2)).containsExactly(100L, 200L);
  }
}
