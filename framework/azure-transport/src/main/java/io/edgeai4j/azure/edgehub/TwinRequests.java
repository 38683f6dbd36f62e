package io.edgeai4j.azure.edgehub;

import io.edgeai4j.module.spi.TransportException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Twin requests waiting for edgeHub's answer, by request id ({@code $rid}, hexadecimal, counting up). Thread-safe:
 * requests are made on the callers' threads and answered on Paho's.
 */
final class TwinRequests {
  /** What edgeHub answered: the status from the topic and the body. */
  record Answer(int status, byte[] body) {}

  private final Map<String, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** Starts a request: returns its id; {@link #answer(String)} gives its future until {@link #forget(String)}. */
  String start() {
    String rid = Long.toHexString(ids.incrementAndGet());
    waiting.put(rid, new CompletableFuture<>());
    return rid;
  }

  CompletableFuture<Answer> answer(String rid) {
    return waiting.get(rid);
  }

  void forget(String rid) {
    waiting.remove(rid);
  }

  /**
   * Completes the request an answer on {@code $iothub/twin/res/{status}/?$rid={rid}[&$version={v}]} is for.
   *
   * @return False when the topic has no status or no request waits for its id.
   */
  boolean complete(String topic, byte[] payload) {
    String rest = topic.substring(EdgeHubTopics.TWIN_RESPONSE.length());
    int slash = rest.indexOf('/');
    int status;
    try {
      status = Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash));
    } catch (NumberFormatException e) {
      return false;
    }
    String rid = EdgeHubTopics.parameter(topic, "$rid");
    CompletableFuture<Answer> request = rid == null ? null : waiting.get(rid);
    return request != null && request.complete(new Answer(status, payload));
  }

  /** Fails every waiting request (the transport is closing). */
  void failAll(TransportException reason) {
    waiting.values().forEach(f -> f.completeExceptionally(reason));
  }
}
