package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AzureTransportOptionsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    AzureTransportOptions options = AzureTransportOptions.defaults();

    assertThat(options.sendTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.twinTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.twinAttemptTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.subscribeTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.reconnectTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(options.minBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(options.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.deltaBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(options.keepAlive()).isEqualTo(Duration.ofSeconds(230));
    assertThat(options.workloadApiTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void toBuilderRoundTripsAndChangesOnlyWhatIsSet() {
    AzureTransportOptions changed = AzureTransportOptions.defaults().toBuilder()
        .sendTimeout(Duration.ofSeconds(5))
        .build();

    assertThat(changed.toBuilder().build()).isEqualTo(changed).hasSameHashCodeAs(changed);
    assertThat(changed.sendTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(changed.twinTimeout()).isEqualTo(AzureTransportOptions.defaults().twinTimeout());
    assertThat(changed).isNotEqualTo(AzureTransportOptions.defaults());
    assertThat(changed.toString()).contains("sendTimeout=PT5S");
  }

  @Test
  void buildRejectsValuesOutOfRangeNamingThem() {
    assertInvalid(b -> b.sendTimeout(Duration.ZERO), "sendTimeout is PT0S");
    assertInvalid(b -> b.twinTimeout(Duration.ofDays(30)), "twinTimeout is PT720H");
    assertInvalid(b -> b.twinAttemptTimeout(Duration.ofSeconds(61)),
        "twinAttemptTimeout is PT1M1S, expected at most twinTimeout (PT1M)");
    assertInvalid(b -> b.subscribeTimeout(Duration.ofMillis(-1)), "subscribeTimeout is PT-0.001S");
    assertInvalid(b -> b.workloadApiTimeout(Duration.ZERO), "workloadApiTimeout is PT0S");
    assertInvalid(b -> b.reconnectTimeout(Duration.ofMillis(999)), "reconnectTimeout is PT0.999S, expected at least PT1S");
    assertInvalid(b -> b.minBackoff(Duration.ofMillis(-5)), "minBackoff is PT-0.005S");
    assertInvalid(b -> b.minBackoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(1)),
        "maxBackoff is PT1S, expected between minBackoff (PT2S)");
    assertInvalid(b -> b.deltaBackoff(Duration.ofMillis(5)), "deltaBackoff is PT0.005S");
    assertInvalid(b -> b.keepAlive(Duration.ofMillis(1500)), "keepAlive is PT1.5S, expected whole seconds");
  }

  @Test
  void retryPolicyFollowsTheOptions() {
    AzureTransportOptions options = AzureTransportOptions.builder()
        .minBackoff(Duration.ofMillis(100))
        .deltaBackoff(Duration.ofMillis(100))
        .maxBackoff(Duration.ofSeconds(2))
        .build();
    LoggingRetryPolicy policy = new LoggingRetryPolicy("d/m", options);

    assertThat(policy.getRetryDecision(0, null).getDuration()).isZero();
    assertThat(policy.getRetryDecision(1, null).getDuration()).isBetween(180L, 220L);
    assertThat(policy.getRetryDecision(3, null).getDuration()).isBetween(660L, 940L);
    assertThat(policy.getRetryDecision(30, null).getDuration()).isEqualTo(2000L);
    assertThat(policy.getRetryDecision(Integer.MAX_VALUE - 1, null).shouldRetry()).isTrue();
  }

  private static void assertInvalid(UnaryOperator<AzureTransportOptions.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(AzureTransportOptions.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
