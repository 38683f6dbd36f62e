package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActivationTest {
  @ParameterizedTest(name = "{0}-{1} {2} at {3}: open={4}, next {5}")
  @CsvSource(textBlock = """
      02:00, 04:00, UTC,           2025-03-10T01:59:00Z, false, 2025-03-10T02:00:00Z
      02:00, 04:00, UTC,           2025-03-10T02:00:00Z, true,  2025-03-10T02:00:00Z
      02:00, 04:00, UTC,           2025-03-10T03:59:59Z, true,  2025-03-10T03:59:59Z
      02:00, 04:00, UTC,           2025-03-10T04:00:00Z, false, 2025-03-11T02:00:00Z
      22:00, 02:00, UTC,           2025-03-10T23:30:00Z, true,  2025-03-10T23:30:00Z
      22:00, 02:00, UTC,           2025-03-10T01:00:00Z, true,  2025-03-10T01:00:00Z
      22:00, 02:00, UTC,           2025-03-10T02:00:00Z, false, 2025-03-10T22:00:00Z
      22:00, 02:00, UTC,           2025-03-10T21:59:00Z, false, 2025-03-10T22:00:00Z
      02:00, 04:00, Europe/Berlin, 2025-03-10T00:30:00Z, false, 2025-03-10T01:00:00Z
      02:00, 04:00, Europe/Berlin, 2025-03-10T01:30:00Z, true,  2025-03-10T01:30:00Z
      02:00, 04:00, Europe/Berlin, 2025-03-30T00:30:00Z, false, 2025-03-30T01:00:00Z
      02:30, 04:00, Europe/Berlin, 2025-03-29T03:00:00Z, false, 2025-03-30T01:00:00Z
      02:10, 02:40, Europe/Berlin, 2025-03-29T03:00:00Z, false, 2025-03-31T00:10:00Z
      """)
  void windowOpensAndCrossesMidnight(LocalTime start, LocalTime end, ZoneId zone, Instant now, boolean open,
      Instant next) {
    Activation.Window window = new Activation.Window(start, end, zone);
    assertThat(window.isOpen(now)).isEqualTo(open);
    assertThat(window.nextOpening(now)).isEqualTo(next);
  }

  @Test
  void immediateIsAlwaysOpen() {
    Instant now = Instant.parse("2025-03-10T12:00:00Z");
    assertThat(Activation.IMMEDIATE.isOpen(now)).isTrue();
    assertThat(Activation.IMMEDIATE.nextOpening(now)).isEqualTo(now);
    assertThat(Activation.IMMEDIATE.policy()).isEqualTo("immediate");
  }

  @Test
  void refusesAnEmptyWindowAndSeconds() {
    assertThatThrownBy(() -> new Activation.Window(LocalTime.of(2, 0), LocalTime.of(2, 0), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a window's start and end must differ, found 02:00 to 02:00");
    assertThatThrownBy(() -> new Activation.Window(LocalTime.of(2, 0, 30), LocalTime.of(3, 0), null))
        .hasMessage("expected whole minutes (HH:mm), found 02:00:30 to 03:00");
    assertThat(new Activation.Window(LocalTime.of(2, 0), LocalTime.of(3, 0), null).zone().getId()).isEqualTo("Z");
  }
}
