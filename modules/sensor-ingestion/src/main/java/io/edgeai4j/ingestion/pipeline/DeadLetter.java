package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.validation.Rejection;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One reading or block that failed a check, as a dead-letter message shows it as an example: text values are cut
 * to {@value MessageFactory#MAX_PROPERTY_CHARS} characters and blocks to their first
 * {@value MessageFactory#MAX_DEAD_LETTER_SAMPLES} samples, so that an example stays small in memory and in the
 * message. Immutable.
 *
 * @param sensor The sensor.
 * @param source The source that produced it.
 * @param rejection The check it failed and why.
 * @param receivedAt The module's clock when it was refused.
 * @param reading The reading, or null for a block.
 * @param block The block's first samples, or null for a reading.
 * @param samples How many samples it held: 1 for a reading, the block's whole size for a block.
 */
record DeadLetter(String sensor, String source, Rejection rejection, Instant receivedAt, Reading reading,
    SampleBlock block, int samples) {

  /** Validates. */
  DeadLetter {
    Objects.requireNonNull(sensor, "sensor");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(rejection, "rejection");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if ((reading == null) == (block == null)) {
      throw new IllegalArgumentException("a dead letter is a reading or a block");
    }
  }

  static DeadLetter of(String source, Reading reading, Rejection rejection, Instant receivedAt) {
    Reading kept = reading;
    if (reading.value() instanceof String text && text.length() > MessageFactory.MAX_PROPERTY_CHARS) {
      kept = new Reading(reading.sensor(), reading.timestamp(), MessageFactory.truncate(text), reading.unit(),
          reading.properties());
    }
    return new DeadLetter(reading.sensor(), source, rejection, receivedAt, kept, null, 1);
  }

  static DeadLetter of(String source, SampleBlock block, Rejection rejection, Instant receivedAt) {
    SampleBlock kept = block;
    if (block.size() > MessageFactory.MAX_DEAD_LETTER_SAMPLES) {
      kept = new SampleBlock(block.sensor(), block.start(), block.sampleRateHz(),
          Arrays.copyOf(block.values(), MessageFactory.MAX_DEAD_LETTER_SAMPLES), block.unit(), block.properties());
    }
    return new DeadLetter(block.sensor(), source, rejection, receivedAt, null, kept, block.size());
  }
}
