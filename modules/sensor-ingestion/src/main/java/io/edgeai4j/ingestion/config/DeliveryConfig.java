package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How outgoing messages are buffered while edgeHub is slow or unreachable: the value of
 * {@code delivery} in the module twin.
 *
 * @param memoryQueueMessages Messages held in memory before spilling to disk; 1 to 100000, default 1000.
 * @param spillMaxBytes Bytes the on-disk spill buffer may hold; when it is full the oldest messages are
 *     dropped (counted and reported); 1 MiB to 64 GiB, default 256 MiB.
 */
public record DeliveryConfig(int memoryQueueMessages, long spillMaxBytes) {
  /** The defaults. */
  public static final DeliveryConfig DEFAULT = new DeliveryConfig(1000, 256L << 20);

  /** Binds from the twin; absent values take their defaults. */
  @JsonCreator
  public static DeliveryConfig of(@JsonProperty("memoryQueueMessages") Integer memoryQueueMessages,
      @JsonProperty("spillMaxBytes") Long spillMaxBytes) {
    return new DeliveryConfig(memoryQueueMessages == null ? DEFAULT.memoryQueueMessages : memoryQueueMessages,
        spillMaxBytes == null ? DEFAULT.spillMaxBytes : spillMaxBytes);
  }

  /** Validates. */
  public DeliveryConfig {
    if (memoryQueueMessages < 1 || memoryQueueMessages > 100_000) {
      throw new IllegalArgumentException("memoryQueueMessages must be 1 to 100000, found " + memoryQueueMessages);
    }
    if (spillMaxBytes < (1L << 20) || spillMaxBytes > (64L << 30)) {
      throw new IllegalArgumentException("spillMaxBytes must be 1 MiB (1048576) to 64 GiB, found " + spillMaxBytes);
    }
  }
}
