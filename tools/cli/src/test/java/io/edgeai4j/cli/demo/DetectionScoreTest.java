package io.edgeai4j.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DetectionScoreTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void scoresWindowsAndTimeToDetect() {
    DetectionScore score = new DetectionScore();
    // Healthy machine: 3 windows, one false alarm.
    score.result("press", "normal", "normal", T0, 1);
    score.result("press", "normal", "imbalance", T0.plusSeconds(1), 2);
    score.alert("press", "normal", T0.plusSeconds(1));
    score.result("press", "normal", "normal", T0.plusSeconds(2), 3);
    // Faulty machine: onset at +10 s, missed once, detected at +12 s with the wrong kind, then right.
    score.result("fan", "normal", "normal", T0.plusSeconds(5), 4);
    score.result("fan", "outerRace", "normal", T0.plusSeconds(10), 5);
    score.result("fan", "outerRace", "innerRace", T0.plusSeconds(12), 6);
    score.alert("fan", "outerRace", T0.plusSeconds(12));
    score.result("fan", "outerRace", "outerRace", T0.plusSeconds(14), 7);
    score.alert("fan", "outerRace", T0.plusSeconds(14));

    assertThat(score.windows()).isEqualTo(7);
    assertThat(score.precision()).isCloseTo(2.0 / 3, within(1e-9));   // TP 2, FP 1
    assertThat(score.recall()).isCloseTo(2.0 / 3, within(1e-9));      // TP 2, FN 1
    assertThat(score.kindAccuracy()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(score.falseAlerts()).isEqualTo(1);
    assertThat(score.alerts()).isEqualTo(3);
    assertThat(score.detections()).containsOnlyKeys("fan");
    assertThat(score.detections().get("fan").timeToDetect()).isEqualTo(Duration.ofSeconds(2));
    assertThat(score.detections().get("fan").fault()).isEqualTo("outerRace");
    assertThat(score.latencyPercentile(50)).isEqualTo(4);
    assertThat(score.latencyPercentile(99)).isEqualTo(7);
    assertThat(score.confusion().get("outerRace")).containsEntry("normal", 1L).containsEntry("innerRace", 1L)
        .containsEntry("outerRace", 1L);
  }

  @Test
  void aFaultWithoutAlertIsUndetectedAndEmptyScoresAreNaN() {
    DetectionScore score = new DetectionScore();
    assertThat(score.precision()).isNaN();
    assertThat(score.latencyPercentile(50)).isNaN();
    score.result("mill", "innerRace", "normal", T0, Double.NaN);
    assertThat(score.detections().get("mill").timeToDetect()).isNull();
    assertThat(score.recall()).isZero();
    assertThat(score.precision()).isNaN();
  }

  @Test
  void combinedFaultLabelsAcceptEitherKind() {
    DetectionScore score = new DetectionScore();
    score.result("m", "imbalance+outerRace", "outerRace", T0, 1);
    assertThat(score.kindAccuracy()).isEqualTo(1.0);
  }
}
