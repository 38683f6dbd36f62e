package io.edgeai4j.module.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.ModuleIdentity;
import java.util.concurrent.CompletableFuture;

/**
 * One module's link to its hub. The module host owns it and closes it; {@link #close()} is idempotent.
 * Implementations are thread-safe.
 */
public interface ModuleTransport extends AutoCloseable {
  /** Returns the identity this transport connects as. */
  ModuleIdentity identity();

  /**
   * Connects and subscribes to inputs, desired-property patches and direct methods.
   *
   * @param listener Receives what the hub sends, from now until {@link #close()}.
   * @throws TransportException If the hub cannot be reached or refuses the module.
   */
  void open(TransportListener listener) throws TransportException;

  /**
   * Sends a message to a named output and waits for the hub's acknowledgement.
   *
   * @param outputName The output name.
   * @param message The message; its size has been checked by the caller.
   * @throws TransportException If the hub did not accept it.
   */
  void send(String outputName, EdgeMessage message) throws TransportException;

  /**
   * Sends a message to a named output without waiting for the hub's acknowledgement: the future completes
   * when the hub has accepted the message, or fails with the {@link TransportException} (or runtime
   * exception) {@link #send} would have thrown. A transport that pipelines sends overrides this and bounds
   * how many are in flight; the default runs {@link #send} on the calling thread and returns a completed (or
   * failed) future.
   *
   * @param outputName The output name.
   * @param message The message; its size has been checked by the caller.
   * @return The acknowledgement; never null.
   */
  default CompletableFuture<Void> sendAsync(String outputName, EdgeMessage message) {
    try {
      send(outputName, message);
      return CompletableFuture.completedFuture(null);
    } catch (TransportException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Reads the whole twin.
   *
   * @return The twin, both documents with their {@code $version}.
   * @throws TransportException If the hub did not answer.
   */
  TwinDocument getTwin() throws TransportException;

  /**
   * Patches the reported properties; a null value deletes a key.
   *
   * @param patch The patch.
   * @throws TransportException If the hub did not accept it.
   */
  void updateReportedProperties(ObjectNode patch) throws TransportException;

  /** Disconnects and releases everything; safe to call more than once. */
  @Override
  void close();
}
