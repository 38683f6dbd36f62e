package io.edgeai4j.ingestion.source;

/**
 * A running source of readings. Created by {@link SensorSourceProvider#create}; owned by the module,
 * which calls {@link #start()} once and {@link #close()} once or more.
 */
public interface SensorSource extends AutoCloseable {
  /**
   * Starts reading and returns promptly; the source runs on its own threads. A device that cannot be
   * reached is not an error here: the source reports {@link SourceState#DISCONNECTED} with the reason
   * through {@link SourceContext#reportState} and keeps trying with backoff.
   *
   * @throws Exception If the source can never work with its settings (then it has released what it held).
   */
  void start() throws Exception;

  /**
   * Stops reading and releases threads, connections and files. Idempotent. Once it returns, the source
   * calls nothing on its context.
   */
  @Override
  void close();
}
