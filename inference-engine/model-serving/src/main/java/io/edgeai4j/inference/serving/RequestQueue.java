package io.edgeai4j.inference.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The FIFO queue of one {@link ServedVersion} and the rows it holds; cuts batches from its head. Not thread-safe: its
 * {@link VersionScheduler} owns it and touches it only under the version's lock.
 */
final class RequestQueue {
  private final int maxBatchSize;
  private final ArrayDeque<PendingRequest> queue = new ArrayDeque<>();
  private long queuedRows;

  RequestQueue(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int size() {
    return queue.size();
  }

  /** The rows of every request queued. */
  long rows() {
    return queuedRows;
  }

  /** The request at the head, or null when empty. */
  PendingRequest oldest() {
    return queue.peekFirst();
  }

  void add(PendingRequest p) {
    queue.addLast(p);
    queuedRows += p.rows();
  }

  /** Moves the requests at the head that have waited more than {@code timeoutNanos} into {@code expired}. */
  void removeExpired(long now, long timeoutNanos, List<PendingRequest> expired) {
    while (!queue.isEmpty() && now - queue.peekFirst().acceptedNanos() > timeoutNanos) {
      PendingRequest p = queue.removeFirst();
      queuedRows -= p.rows();
      expired.add(p);
    }
  }

  /** Removes the batch at the head: requests in order while their rows fit and their inputs stack with the first's. */
  List<PendingRequest> form() {
    List<PendingRequest> batch = new ArrayList<>();
    int rows = 0;
    while (!queue.isEmpty()) {
      PendingRequest next = queue.peekFirst();
      if (!batch.isEmpty() && (rows + next.rows() > maxBatchSize
          || !TensorRows.stackable(batch.get(0).request().inputs(), next.request().inputs()))) {
        break;
      }
      queue.removeFirst();
      queuedRows -= next.rows();
      rows += next.rows();
      batch.add(next);
    }
    return batch;
  }
}
