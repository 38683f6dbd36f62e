package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.edgeai4j.buffer.FsyncPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How outgoing messages are kept until edgeHub accepts them: the value of {@code delivery} in the module twin.
 * Every message is written to the on-disk outbox when it is offered and removed when edgeHub accepts it.
 *
 * @param memoryQueueMessages How many of the newest waiting messages are also kept in memory, so that a sender
 *     that keeps up does not read them back from disk; 1 to 100000, default 1000.
 * @param spillMaxBytes Bytes the on-disk outbox may hold; when it is full the oldest messages are dropped
 *     (counted and reported); 1 MiB to 64 GiB, default 256 MiB.
 * @param fsync When the outbox's writes are forced to the device: {@code always}, {@code interval} (default) or
 *     {@code never}.
 * @param fsyncIntervalMillis Under {@code interval}, the longest a write stays unforced; 1 to 3600000 ms,
 *     default 1000.
 */
public record DeliveryConfig(int memoryQueueMessages, long spillMaxBytes, Fsync fsync, long fsyncIntervalMillis) {
  /** The defaults. */
  public static final DeliveryConfig DEFAULT = new DeliveryConfig(1000, 256L << 20, Fsync.INTERVAL, 1000);

  /** When the outbox forces its writes to the device (see {@link FsyncPolicy.Mode}). */
  public enum Fsync {
    /** Before each offer and each removal returns: nothing at risk of a power loss, one fsync per message. */
    ALWAYS,
    /** At most {@code fsyncIntervalMillis} after a write, from a background thread. */
    INTERVAL,
    /** When a segment file fills up and at stop only. */
    NEVER;

    /** The twin spelling, lower case. */
    @JsonValue
    public String twinName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the twin spelling. */
    @JsonCreator
    public static Fsync parse(String text) {
      for (Fsync f : values()) {
        if (f.twinName().equals(text)) {
          return f;
        }
      }
      throw new IllegalArgumentException("fsync must be one of " + Arrays.stream(values()).map(Fsync::twinName)
          .collect(Collectors.joining(", ")) + ", found '" + text + "'");
    }
  }

  /** Binds from the twin; absent values take their defaults. */
  @JsonCreator
  public static DeliveryConfig of(@JsonProperty("memoryQueueMessages") Integer memoryQueueMessages,
      @JsonProperty("spillMaxBytes") Long spillMaxBytes, @JsonProperty("fsync") Fsync fsync,
      @JsonProperty("fsyncIntervalMillis") Long fsyncIntervalMillis) {
    return new DeliveryConfig(memoryQueueMessages == null ? DEFAULT.memoryQueueMessages : memoryQueueMessages,
        spillMaxBytes == null ? DEFAULT.spillMaxBytes : spillMaxBytes, fsync == null ? DEFAULT.fsync : fsync,
        fsyncIntervalMillis == null ? DEFAULT.fsyncIntervalMillis : fsyncIntervalMillis);
  }

  /** Validates. */
  public DeliveryConfig {
    if (memoryQueueMessages < 1 || memoryQueueMessages > 100_000) {
      throw new IllegalArgumentException("memoryQueueMessages must be 1 to 100000, found " + memoryQueueMessages);
    }
    if (spillMaxBytes < (1L << 20) || spillMaxBytes > (64L << 30)) {
      throw new IllegalArgumentException("spillMaxBytes must be 1 MiB (1048576) to 64 GiB, found " + spillMaxBytes);
    }
    Objects.requireNonNull(fsync, "fsync");
    if (fsyncIntervalMillis < 1 || fsyncIntervalMillis > 3_600_000) {
      throw new IllegalArgumentException("fsyncIntervalMillis must be 1 to 3600000, found " + fsyncIntervalMillis);
    }
  }

  /** The disk buffer's policy for {@link #fsync()} and {@link #fsyncIntervalMillis()}. */
  public FsyncPolicy fsyncPolicy() {
    return switch (fsync) {
      case ALWAYS -> FsyncPolicy.always();
      case INTERVAL -> FsyncPolicy.interval(Duration.ofMillis(fsyncIntervalMillis));
      case NEVER -> FsyncPolicy.never();
    };
  }
}
