package io.edgeai4j.benchmarks.edgehub;

import java.util.concurrent.atomic.AtomicLong;

/** One module of a load run, connected to the endpoint; a receiver records into a {@link LoadTally}. */
interface LoadClient extends AutoCloseable {
  /**
   * Sends {@code messages} messages to output {@code out} and returns when each is acknowledged or failed.
   *
   * @param sender This sender's index, written into each body.
   * @param failures Counts sends the endpoint did not acknowledge.
   */
  void sendAll(int sender, int messages, LoadSettings settings, AtomicLong failures) throws Exception;

  @Override
  void close();
}
