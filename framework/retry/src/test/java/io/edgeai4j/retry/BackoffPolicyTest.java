package io.edgeai4j.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffPolicyTest {

  @ParameterizedTest(name = "initial {0} ms, max {1} ms, x{2}, after {3} failures: {4} ms")
  @CsvSource({
      "100, 30000, 2, 1, 100",
      "100, 30000, 2, 2, 200",
      "100, 30000, 2, 3, 400",
      "100, 30000, 2, 9, 25600",
      "100, 30000, 2, 10, 30000",
      "100, 30000, 2, 1000000, 30000",
      "1000, 1000, 2, 5, 1000",
      "500, 10000, 1, 7, 500",
      "100, 60000, 3, 4, 2700",
      "100, 60000, 1.5, 3, 225",
  })
  void baseDelaysGrowAndStopAtTheCap(long initial, long max, double multiplier, long failures, long expected) {
    BackoffPolicy policy = new BackoffPolicy(Duration.ofMillis(initial), Duration.ofMillis(max), multiplier, 0.5);
    assertThat(policy.baseDelay(failures)).isEqualTo(Duration.ofMillis(expected));
  }

  @ParameterizedTest(name = "jitter {0}, random {1}: {2} ms of 1000")
  @CsvSource({
      "0, 0.99, 1000",
      "0.5, 0, 1000",
      "0.5, 0.5, 750",
      "0.5, 0.999999, 500",
      "1, 0.25, 750",
      "1, 0.999999, 0",
  })
  void jitterTakesARandomShareOffTheBase(double jitter, double random, long expectedMillis) {
    BackoffPolicy policy = new BackoffPolicy(Duration.ofMillis(1000), Duration.ofMillis(1000), 2, jitter);
    assertThat(policy.delay(3, random).toMillis()).isEqualTo(expectedMillis);
  }

  @Test
  void aSequenceCountsFailuresResetsAndResumesWhereASavedOneStopped() {
    BackoffPolicy policy = BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(0);
    Backoff backoff = new Backoff(policy, () -> 0.3);
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.failures()).isEqualTo(2);
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    Backoff restarted = new Backoff(policy, () -> 0.3);
    restarted.resume(3);
    assertThat(restarted.next()).isEqualTo(Duration.ofMillis(800));
    assertThat(restarted.next()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void defaultJitterSpreadsDelaysBetweenHalfAndAllOfTheBase() {
    Backoff backoff = BackoffPolicy.exponential(Duration.ofMillis(400), Duration.ofMillis(400)).start();
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long d = backoff.next().toMillis();
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isBetween(200L, 230L);
    assertThat(max).isBetween(370L, 400L);
  }

  @Test
  void refusesWhatCannotBeAPolicyNamingTheValue() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new BackoffPolicy(Duration.ZERO, s, 2, 0.5))
        .hasMessage("backoff initial delay must be positive, found PT0S");
    assertThatThrownBy(() -> new BackoffPolicy(s, Duration.ofMillis(10), 2, 0.5))
        .hasMessage("backoff max delay PT0.01S is shorter than the initial delay PT1S");
    assertThatThrownBy(() -> new BackoffPolicy(s, s, 0.5, 0.5))
        .hasMessage("backoff multiplier must be a finite number of at least 1, found 0.5");
    assertThatThrownBy(() -> new BackoffPolicy(s, s, Double.NaN, 0.5))
        .hasMessage("backoff multiplier must be a finite number of at least 1, found NaN");
    assertThatThrownBy(() -> new BackoffPolicy(s, s, 2, 1.5))
        .hasMessage("backoff jitter must lie between 0 and 1, found 1.5");
    assertThatThrownBy(() -> BackoffPolicy.exponential(s, s).baseDelay(0))
        .hasMessage("a retry follows at least 1 failure, found 0");
    assertThatThrownBy(() -> BackoffPolicy.exponential(s, s).start().resume(-1))
        .hasMessage("failures so far must not be negative, found -1");
  }
}
