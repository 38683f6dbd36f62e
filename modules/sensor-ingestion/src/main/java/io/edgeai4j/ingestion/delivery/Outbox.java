package io.edgeai4j.ingestion.delivery;

import io.edgeai4j.buffer.AppendResult;
import io.edgeai4j.buffer.DiskBufferOptions;
import io.edgeai4j.buffer.OverflowPolicy;
import io.edgeai4j.ingestion.config.DeliveryConfig;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages to the hub in the order they were offered, on one sender thread, without ever making the producer
 * wait for the hub. Every message is written to an on-disk buffer when it is offered and removed only once the hub
 * has accepted it (its send returned), so neither a stop, nor a crash or a kill of the process, loses a message
 * {@link #offer} took; what a power loss can lose is set by {@link DeliveryConfig#fsync()}. Delivery is at least
 * once: a message the hub accepted just before a crash is sent again after the restart, with the same message id
 * (stamped by {@link #offer} when the message has none), so a consumer can drop the duplicate. The newest
 * {@link DeliveryConfig#memoryQueueMessages()} messages are also kept in memory so that a sender that keeps up
 * does not read them back. A full buffer drops its oldest messages (counted in {@link OutboxStats#droppedOldest()}).
 * A failed send is retried with backoff until it succeeds, so order is kept.
 *
 * <p>Thread-safe. The creator owns it: {@link #start()} once, {@link #close()} (idempotent) at the end.
 */
public final class Outbox implements AutoCloseable {
  /** Sends one message; {@code ModuleContext::send}. Returns once the hub has accepted it. */
  @FunctionalInterface
  public interface Sender {
    void send(String output, EdgeMessage message) throws TransportException;
  }

  /** The retry delays of a send the hub does not accept: 100 ms doubling to 5 s, with jitter. */
  public static final BackoffPolicy DEFAULT_BACKOFF =
      BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  /** How often the durability gauges are refreshed while the sender waits. */
  private static final Duration GAUGE_REFRESH = Duration.ofSeconds(1);
  /** Where versions before the write-ahead outbox saved the memory queue at stop; sent first, then deleted. */
  private static final String LEGACY_HEAD = "head";
  private static final long LEGACY_HEAD_MAX_BYTES = 64L << 30;

  private final Sender sender;
  private final Path directory;
  private final String name;
  private final OutboxMetrics metrics;
  private final BackoffPolicy backoffPolicy;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final DurableQueue queue;
  private DurableQueue legacyHead;
  private DeliveryConfig config;
  private Thread thread;
  private boolean closed;
  /** Set once close() has closed the buffer, after waiting for the sender; a send still running then is abandoned. */
  private boolean queueClosed;
  private long sent;
  private long droppedOldest;
  private long sendFailures;
  private String lastError;
  private long forcedBytesCounted;

  private Outbox(Sender sender, Path directory, DeliveryConfig config, String name, OutboxMetrics metrics,
      BackoffPolicy backoffPolicy) throws IOException {
    this.sender = sender;
    this.directory = directory;
    this.config = config;
    this.name = name;
    this.metrics = metrics;
    this.backoffPolicy = backoffPolicy;
    this.queue = DurableQueue.open(queueOptions(config), config.memoryQueueMessages(), name, metrics.corrupt());
    try {
      legacyHead = openLegacyHead();
    } catch (IOException | RuntimeException e) {
      try {
        queue.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    long legacy = legacyHead == null ? 0 : legacyHead.size();
    if (legacy > 0 || queue.size() > 0) {
      LOG.info("Outbox {}: {} message(s) from the last run wait in {} and are sent first", name,
          legacy + queue.size(), directory);
    }
    updateGauges();
  }

  /**
   * Opens the outbox over a directory, recovering what an earlier run left there, with {@link #DEFAULT_BACKOFF}.
   *
   * @param sender Sends to the hub.
   * @param directory The outbox directory (the buffer in subdirectory {@code queue}); on a volume to survive
   *     container restarts.
   * @param config The limits and the fsync policy.
   * @param name A name for the thread and logs (the module id).
   * @param metrics Where counts and levels go.
   * @throws IOException If the directory cannot be opened (e.g. another process holds it).
   */
  public static Outbox open(Sender sender, Path directory, DeliveryConfig config, String name, OutboxMetrics metrics)
      throws IOException {
    return open(sender, directory, config, name, metrics, DEFAULT_BACKOFF);
  }

  /** As {@link #open(Sender, Path, DeliveryConfig, String, OutboxMetrics)}, with the retry delays given. */
  public static Outbox open(Sender sender, Path directory, DeliveryConfig config, String name, OutboxMetrics metrics,
      BackoffPolicy backoff) throws IOException {
    return new Outbox(Objects.requireNonNull(sender), Objects.requireNonNull(directory), Objects.requireNonNull(config),
        name, Objects.requireNonNull(metrics), Objects.requireNonNull(backoff));
  }

  private DiskBufferOptions queueOptions(DeliveryConfig delivery) {
    return DiskBufferOptions.builder(directory.resolve("queue")).maxBytes(delivery.spillMaxBytes())
        .segmentBytes((int) Math.min(8L << 20, delivery.spillMaxBytes() / 4)).overflowPolicy(OverflowPolicy.DROP_OLDEST)
        .fsyncPolicy(delivery.fsyncPolicy()).build();
  }

  /** The messages an older version saved at stop, or null when there are none (the directory is then removed). */
  private DurableQueue openLegacyHead() throws IOException {
    Path head = directory.resolve(LEGACY_HEAD);
    if (!Files.isDirectory(head)) {
      return null;
    }
    DurableQueue legacy = DurableQueue.open(DiskBufferOptions.builder(head).maxBytes(LEGACY_HEAD_MAX_BYTES)
        .fsyncPolicy(config.fsyncPolicy()).build(), 0, name, metrics.corrupt());
    if (legacy.size() > 0) {
      return legacy;
    }
    legacy.close();
    deleteTree(head);
    return null;
  }

  /** Starts the sender thread. */
  public void start() {
    lock.lock();
    try {
      if (thread != null || closed) {
        throw new IllegalStateException("outbox " + name + " already " + (closed ? "closed" : "started"));
      }
      thread = new Thread(this::run, "outbox-" + name);
      thread.setDaemon(true);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a message: writes it to the outbox's buffer and returns (the producer never waits for the hub). When it
   * returns, a crash or kill of the process no longer loses the message. A message without a message id gets one
   * (a random UUID), which a retry after a crash keeps.
   *
   * @throws IllegalStateException If the outbox is closed.
   * @throws UncheckedIOException If the buffer cannot be written (e.g. the disk is full); the message is not taken.
   */
  public void offer(OutgoingMessage message) {
    OutgoingMessage stamped = message.message().messageId().isPresent() ? message
        : new OutgoingMessage(message.output(), message.message().toBuilder().messageId(UUID.randomUUID().toString())
            .build());
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("outbox " + name + " is closed; message for output '" + message.output()
            + "' not accepted");
      }
      AppendResult result = queue.append(stamped);
      if (result.droppedRecords() > 0) {
        droppedOldest += result.droppedRecords();
        metrics.dropped().inc(result.droppedRecords());
        LOG.warn("Outbox {}: buffer full ({} bytes): dropped the {} oldest message(s) ({} in all)", name,
            config.spillMaxBytes(), result.droppedRecords(), droppedOldest);
      }
      updateGauges();
      changed.signalAll();
    } catch (IOException e) {
      throw new UncheckedIOException("outbox " + name + ": cannot write the buffer in " + directory, e);
    } finally {
      lock.unlock();
    }
  }

  /** Applies new limits and fsync policy; the buffer keeps its messages (a smaller limit drops the oldest next). */
  public void reconfigure(DeliveryConfig newConfig) throws IOException {
    lock.lock();
    try {
      if (closed || newConfig.equals(config)) {
        return;
      }
      DiskBufferOptions options = queueOptions(newConfig);
      if (!options.equals(queue.options())) {
        queue.reopen(options);
      }
      queue.cacheLimit(newConfig.memoryQueueMessages());
      config = newConfig;
      updateGauges();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until everything offered so far has been accepted by the hub, or the timeout passes.
   *
   * @return Whether the outbox is empty.
   */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (waiting() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot for reports. */
  public OutboxStats stats() {
    lock.lock();
    try {
      return new OutboxStats(queue.cached(), waiting(), queue.sizeBytes() + (legacyHead == null ? 0
          : legacyHead.sizeBytes()), config.spillMaxBytes(), sent, droppedOldest, sendFailures, lastError);
    } finally {
      lock.unlock();
    }
  }

  private long waiting() {
    return queue.size() + (legacyHead == null ? 0 : legacyHead.size());
  }

  private void run() {
    Backoff backoff = backoffPolicy.start();
    while (true) {
      try {
        Boolean accepted = sendNext();
        if (accepted == null) {
          return;
        }
        if (accepted) {
          backoff.reset();
        } else if (!pause(backoff.next())) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // Never let the sender die: a buffer that cannot be read or updated now may work later.
        lock.lock();
        try {
          sendFailures++;
          lastError = e.toString();
        } finally {
          lock.unlock();
        }
        metrics.sendFailures().inc();
        Duration delay = backoff.next();
        LOG.error("Outbox {}: the sender failed ({}); retrying in {} ms", name, e, delay.toMillis(), e);
        try {
          if (!pause(delay)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /**
   * Sends the oldest waiting message, waiting for one if there is none, and removes it from disk once the hub has
   * accepted it.
   *
   * @return Whether the hub accepted it, or null once the outbox is closed (or the module stopped).
   */
  private Boolean sendNext() throws InterruptedException, IOException {
    DurableQueue from;
    DurableQueue.Entry next;
    lock.lock();
    try {
      while (!closed && waiting() == 0) {
        changed.awaitNanos(GAUGE_REFRESH.toNanos());
        updateGauges();
      }
      if (closed) {
        return null;
      }
      from = legacyHead != null ? legacyHead : queue;
      next = from.head();
      if (next == null) {
        closeDrainedLegacyHead();
        return true; // Every record left was unreadable (counted); look again.
      }
    } finally {
      lock.unlock();
    }
    String error = send(next.message());
    if (error != null && error.isEmpty()) {
      return null; // The module stopped: the message stays on disk for the next start.
    }
    lock.lock();
    try {
      if (queueClosed) {
        return null; // close() stopped waiting for this send: the message stays on disk and is sent again
      }
      if (error == null) {
        from.release(next.seq());
        sent++;
        lastError = null;
        closeDrainedLegacyHead();
        updateGauges();
        changed.signalAll();
        return true;
      }
      sendFailures++;
      metrics.sendFailures().inc();
      if (lastError == null) {
        LOG.warn("Outbox {}: the hub did not accept a message on '{}' ({}); retrying with backoff, keeping new"
            + " messages in {}", name, next.message().output(), error, directory);
      }
      lastError = error;
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void closeDrainedLegacyHead() throws IOException {
    if (legacyHead != null && legacyHead.size() == 0) {
      legacyHead.close();
      legacyHead = null;
      deleteTree(directory.resolve(LEGACY_HEAD));
      LOG.info("Outbox {}: sent every message an earlier version saved at stop", name);
    }
  }

  /** Waits for the backoff to pass (new messages do not cut it short); false when closed meanwhile. */
  private boolean pause(Duration backoff) throws InterruptedException {
    long deadline = System.nanoTime() + backoff.toNanos();
    lock.lock();
    try {
      long left;
      while (!closed && (left = deadline - System.nanoTime()) > 0) {
        changed.awaitNanos(Math.min(left, GAUGE_REFRESH.toNanos()));
        updateGauges();
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Sends; returns null when the hub accepted it (or never can), "" when the module has stopped, else the error. */
  private String send(OutgoingMessage message) {
    try {
      sender.send(message.output(), message.message());
      return null;
    } catch (MessageTooLargeException e) {
      // Messages are sized below the limit when built; one that is not is a bug, and retrying cannot help.
      LOG.error("Outbox {}: dropped a message on '{}' the hub refuses as too large: {}", name, message.output(),
          e.getMessage());
      metrics.tooLarge().inc();
      return null;
    } catch (TransportException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (IllegalStateException e) {
      return "";
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  /** Called with the lock held. */
  private void updateGauges() {
    metrics.memoryQueued().set(queue.cached());
    metrics.spilledMessages().set(waiting());
    metrics.spilledBytes().set(queue.sizeBytes() + (legacyHead == null ? 0 : legacyHead.sizeBytes()));
    metrics.spillMaxBytes().set(config.spillMaxBytes());
    metrics.unforcedBytes().set(queue.unforcedBytes());
    metrics.unforcedAgeSeconds().set(queue.unforcedAge().toNanos() / 1e9);
    long forced = queue.forcedBytes();
    if (forced > forcedBytesCounted) {
      metrics.forcedBytes().inc(forced - forcedBytesCounted);
      forcedBytesCounted = forced;
    }
  }

  /**
   * Stops the sender (after its current attempt) and closes the buffer, which forces what is unforced; every
   * message not yet accepted stays on disk for the next start. Idempotent.
   */
  @Override
  public void close() throws IOException {
    Thread sending;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      sending = thread;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (sending != null) {
      try {
        sending.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      long left = waiting();
      queueClosed = true;
      try (DurableQueue closing = legacyHead) {
        queue.close();
        updateGauges();
      }
      if (left > 0) {
        LOG.info("Outbox {}: {} unsent message(s) stay in {} for the next start", name, left, directory);
      }
    } finally {
      lock.unlock();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
