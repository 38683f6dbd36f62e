package io.edgeai4j.modelpackage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Objects;

/**
 * When a staged model version may be activated: at once ({@link #IMMEDIATE}) or only while the device's clock is
 * inside a daily {@link Window}. Immutable and thread-safe.
 */
public sealed interface Activation permits Activation.Immediate, Activation.Window {
  /** Activate as soon as the version is staged. */
  Immediate IMMEDIATE = new Immediate();

  /** The twin's {@code activation.policy}: {@code immediate} or {@code window}. */
  String policy();

  /** Whether activation is allowed at {@code now}. */
  boolean isOpen(Instant now);

  /** {@code now} when {@link #isOpen(Instant) open}, otherwise the next instant after {@code now} that opens it. */
  Instant nextOpening(Instant now);

  /** Always open. */
  record Immediate() implements Activation {
    @Override
    public String policy() {
      return "immediate";
    }

    @Override
    public boolean isOpen(Instant now) {
      return true;
    }

    @Override
    public Instant nextOpening(Instant now) {
      return now;
    }
  }

  /**
   * Open every day from {@code start} (inclusive) to {@code end} (exclusive), local time in {@code zone}; when
   * {@code end} is before {@code start} the window crosses midnight (22:00 to 02:00). On a day when a daylight saving
   * change skips {@code start}, the window opens at the end of the gap (and not at all that day when the whole window
   * lies in the gap).
   *
   * @param start Whole minutes.
   * @param end Whole minutes, different from {@code start}.
   * @param zone Null means UTC.
   */
  record Window(LocalTime start, LocalTime end, ZoneId zone) implements Activation {
    /** @throws IllegalArgumentException When a time is missing or not whole minutes, or start equals end. */
    public Window {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (start.getSecond() != 0 || start.getNano() != 0 || end.getSecond() != 0 || end.getNano() != 0) {
        throw new IllegalArgumentException("expected whole minutes (HH:mm), found " + start + " to " + end);
      }
      if (start.equals(end)) {
        throw new IllegalArgumentException("a window's start and end must differ, found " + start + " to " + end);
      }
      zone = zone == null ? ZoneOffset.UTC : zone;
    }

    @Override
    public String policy() {
      return "window";
    }

    /** Whether the window crosses midnight (its end is before its start). */
    public boolean crossesMidnight() {
      return end.isBefore(start);
    }

    @Override
    public boolean isOpen(Instant now) {
      LocalTime time = now.atZone(zone).toLocalTime();
      boolean afterStart = !time.isBefore(start);
      boolean beforeEnd = time.isBefore(end);
      return crossesMidnight() ? afterStart || beforeEnd : afterStart && beforeEnd;
    }

    @Override
    public Instant nextOpening(Instant now) {
      if (isOpen(now)) {
        return now;
      }
      LocalDate day = now.atZone(zone).toLocalDate();
      Instant opening = openingOn(day);
      while (!opening.isAfter(now) || !isOpen(opening)) { // a window wholly inside a DST gap skips that day
        day = day.plusDays(1);
        opening = openingOn(day);
      }
      return opening;
    }

    /** When the window opens on {@code day}: at {@code start}, or at the end of a daylight saving gap over it. */
    private Instant openingOn(LocalDate day) {
      LocalDateTime local = day.atTime(start);
      ZoneOffsetTransition gap = zone.getRules().getTransition(local);
      if (gap != null && gap.isGap()) {
        return gap.getInstant();
      }
      return ZonedDateTime.of(local, zone).toInstant();
    }
  }
}
