package io.edgeai4j.module.host;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.metrics.FrameworkMetrics.RefusalReason;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module's outputs: what every message sent by the module, or dead-lettered by the host, goes through on
 * its way to the transport (the output name, edgeHub's size limit, the JSON-without-content-type warning, and
 * the sent and refused counts, the sends waiting for the hub's acknowledgement). Owned by {@link ModuleHost}, used by {@link HostContext} and
 * {@link InputDispatcher}; does not own the transport. Thread-safe: its only state is the warn-once set.
 */
final class Outputs {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class); // the host's lines, one name

  private final ModuleIdentity identity;
  private final String moduleId;
  private final ModuleTransport transport;
  private final FrameworkMetrics metrics;
  private final Set<String> warnedJsonWithoutContentType = ConcurrentHashMap.newKeySet();

  Outputs(ModuleIdentity identity, ModuleTransport transport, FrameworkMetrics metrics) {
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.transport = transport;
    this.metrics = metrics;
  }

  /**
   * Sends a message and waits for the hub's acknowledgement.
   *
   * @throws MessageTooLargeException If it is over {@link EdgeMessage#MAX_SIZE_BYTES} with its output name.
   * @throws TransportException If the hub did not accept it.
   */
  void send(String outputName, EdgeMessage message) throws TransportException {
    EdgeMessage outgoing = prepare(outputName, message);
    metrics.addSendsInFlight(moduleId, 1);
    try {
      transport.send(outputName, outgoing);
    } catch (TransportException | RuntimeException e) {
      metrics.messageRefused(moduleId, outputName, RefusalReason.TRANSPORT);
      throw e;
    } finally {
      metrics.addSendsInFlight(moduleId, -1);
    }
    metrics.messageSent(moduleId, outputName);
  }

  /**
   * Sends a message without waiting: the future completes when the hub has accepted it, or fails with what
   * the transport failed with.
   *
   * @throws MessageTooLargeException If it is over {@link EdgeMessage#MAX_SIZE_BYTES} with its output name:
   *     at once, before anything is sent.
   */
  CompletableFuture<Void> sendAsync(String outputName, EdgeMessage message) {
    EdgeMessage outgoing = prepare(outputName, message);
    CompletableFuture<Void> acknowledged;
    metrics.addSendsInFlight(moduleId, 1);
    try {
      acknowledged = transport.sendAsync(outputName, outgoing);
    } catch (RuntimeException e) {
      acknowledged = CompletableFuture.failedFuture(e);
    }
    return acknowledged.whenComplete((ignored, failure) -> {
      metrics.addSendsInFlight(moduleId, -1);
      if (failure == null) {
        metrics.messageSent(moduleId, outputName);
      } else {
        metrics.messageRefused(moduleId, outputName, RefusalReason.TRANSPORT);
      }
    });
  }

  private EdgeMessage prepare(String outputName, EdgeMessage message) {
    EdgeMessage outgoing = message.toBuilder().systemProperty(SystemProperties.OUTPUT_NAME, outputName).build();
    int size = outgoing.sizeInBytes();
    if (size > EdgeMessage.MAX_SIZE_BYTES) {
      metrics.messageRefused(moduleId, outputName, RefusalReason.TOO_LARGE);
      throw new MessageTooLargeException(outputName, size);
    }
    if (outgoing.contentType().isEmpty() && HostContext.hasJsonContainerBody(outgoing)) {
      metrics.messageWithoutContentType(moduleId, outputName);
      if (warnedJsonWithoutContentType.add(outputName)) {
        LOG.warn("Module {}: a message sent to output '{}' has a JSON body but no contentType; $body routes will"
            + " evaluate to undefined on edgeHub; create it with EdgeMessage.json(...) (sending it anyway; warned"
            + " once per output, {} counts them)", identity, outputName,
            FrameworkMetrics.MESSAGES_WITHOUT_CONTENT_TYPE);
      }
    }
    return outgoing;
  }
}
