package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * How dead letters are aggregated before they go to output {@code deadletter}: the value of {@code deadLetters}
 * in the module twin. One message per sensor, check and source per interval, instead of one per bad reading.
 *
 * @param intervalMillis How long dead letters of one sensor, check and source are gathered into one message,
 *     from the first of them; 1000 to 86400000 ms, default 60000.
 * @param maxKeys How many (sensor, check, source) keys may gather at once; past it, dead letters of a new key
 *     gather in one overflow message per interval; 1 to 100000, default 1000.
 */
public record DeadLetterConfig(long intervalMillis, int maxKeys) {
  /** The defaults. */
  public static final DeadLetterConfig DEFAULT = new DeadLetterConfig(60_000, 1000);

  /** Binds from the twin; absent values take their defaults. */
  @JsonCreator
  public static DeadLetterConfig of(@JsonProperty("intervalMillis") Long intervalMillis,
      @JsonProperty("maxKeys") Integer maxKeys) {
    return new DeadLetterConfig(intervalMillis == null ? DEFAULT.intervalMillis : intervalMillis,
        maxKeys == null ? DEFAULT.maxKeys : maxKeys);
  }

  /** Validates. */
  public DeadLetterConfig {
    if (intervalMillis < 1000 || intervalMillis > 86_400_000) {
      throw new IllegalArgumentException("deadLetters.intervalMillis must be 1000 to 86400000, found "
          + intervalMillis);
    }
    if (maxKeys < 1 || maxKeys > 100_000) {
      throw new IllegalArgumentException("deadLetters.maxKeys must be 1 to 100000, found " + maxKeys);
    }
  }

  /** The aggregation interval. */
  public Duration interval() {
    return Duration.ofMillis(intervalMillis);
  }
}
