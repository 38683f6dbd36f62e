package io.edgeai4j.ingestion.source;

import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalDouble;

/**
 * What the module gives a running source. All methods are thread-safe and return promptly: the
 * module buffers (in memory, then on disk) rather than block a source, so a source can call
 * {@code emit} from its client library's callback thread.
 */
public interface SourceContext {
  /** The source's name, the key under {@code sources} in the module twin. */
  String sourceName();

  /** Passes on one reading. */
  void emit(Reading reading);

  /** Passes on a block of uniformly sampled values. */
  void emit(SampleBlock block);

  /**
   * Reports where the source stands; shown in reported properties with the time of the change.
   *
   * @param state The new state.
   * @param detail Why (e.g. the connection error), or null.
   */
  void reportState(SourceState state, String detail);

  /**
   * The sample rate the module's configuration gives {@code sensor} ({@code sensors.<name>.sampleRateHz}
   * in the module twin), as of the configuration applied last; empty when it gives none. A source that
   * reads arrays carrying no rate of their own (an OPC UA array, a JSON array) spaces the samples of its
   * {@link SampleBlock} by this rate, and without one passes the array on as a reading with a null value
   * and the reason, which validation dead-letters. The default, for contexts that know no sensor
   * configuration (tests, tools), is empty.
   */
  default OptionalDouble sampleRateHz(String sensor) {
    return OptionalDouble.empty();
  }

  /** The clock to stamp readings with when the device gives no timestamp. */
  Clock clock();

  /**
   * A directory that belongs to this source and survives restarts (certificates it generates, a
   * replay position). Created on first call.
   */
  Path stateDirectory();
}
