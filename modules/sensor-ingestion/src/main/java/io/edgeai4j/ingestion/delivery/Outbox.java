package io.edgeai4j.ingestion.delivery;

import io.edgeai4j.buffer.AppendResult;
import io.edgeai4j.buffer.DiskBuffer;
import io.edgeai4j.buffer.DiskBufferOptions;
import io.edgeai4j.buffer.OverflowPolicy;
import io.edgeai4j.ingestion.config.DeliveryConfig;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.spi.TransportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages to the hub in the order they were offered, on one sender thread, without ever making
 * the producer wait for the hub. Messages wait in memory up to {@link DeliveryConfig#memoryQueueMessages()};
 * past that, and as long as anything waits on disk, they go to a bounded on-disk spill buffer, which
 * drops its oldest messages when full (counted in {@link OutboxStats#droppedOldest()}). A failed send is
 * retried with backoff (100 ms doubling to 5 s) until it succeeds, so order is kept.
 *
 * <p>Memory holds only messages older than everything on disk, so the sender takes from memory first,
 * then from disk. On {@link #close()} the messages still in memory are written to a second buffer, the
 * head, which the next {@link #open} reads back before anything else: a graceful stop loses nothing; a
 * hard kill loses at most the memory queue.
 *
 * <p>Thread-safe. The creator owns it: {@link #start()} once, {@link #close()} (idempotent) at the end.
 */
public final class Outbox implements AutoCloseable {
  /** Sends one message; {@code ModuleContext::send}. */
  @FunctionalInterface
  public interface Sender {
    void send(String output, EdgeMessage message) throws TransportException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** The head buffer holds what was in memory at stop; opened with room for any memory queue. */
  private static final long HEAD_MAX_BYTES = 64L << 30;

  private final Sender sender;
  private final Path directory;
  private final String name;
  private final OutboxMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<OutgoingMessage> memory = new ArrayDeque<>();
  private DiskBuffer disk;
  private DeliveryConfig config;
  private Thread thread;
  private boolean closed;
  private long sent;
  private long droppedOldest;
  private long sendFailures;
  private String lastError;

  private Outbox(Sender sender, Path directory, DeliveryConfig config, String name, OutboxMetrics metrics)
      throws IOException {
    this.sender = sender;
    this.directory = directory;
    this.config = config;
    this.name = name;
    this.metrics = metrics;
    this.disk = openSpill(config.spillMaxBytes());
    try {
      readHead();
    } catch (IOException | RuntimeException e) {
      disk.close();
      throw e;
    }
    updateGauges();
  }

  /**
   * Opens the outbox over a spill directory, recovering what an earlier run left there.
   *
   * @param sender Sends to the hub.
   * @param directory The spill directory (subdirectories {@code queue} and {@code head}); on a volume to
   *     survive container restarts.
   * @param config The limits.
   * @param name A name for the thread and logs (the module id).
   * @param metrics Where counts and levels go.
   * @throws IOException If the spill directory cannot be opened (e.g. another process holds it).
   */
  public static Outbox open(Sender sender, Path directory, DeliveryConfig config, String name, OutboxMetrics metrics)
      throws IOException {
    return new Outbox(Objects.requireNonNull(sender), Objects.requireNonNull(directory), Objects.requireNonNull(config),
        name, Objects.requireNonNull(metrics));
  }

  private DiskBuffer openSpill(long maxBytes) throws IOException {
    return DiskBuffer.open(DiskBufferOptions.builder(directory.resolve("queue")).maxBytes(maxBytes)
        .segmentBytes((int) Math.min(8L << 20, maxBytes / 4)).overflowPolicy(OverflowPolicy.DROP_OLDEST).build());
  }

  private void readHead() throws IOException {
    try (DiskBuffer head = DiskBuffer.open(DiskBufferOptions.builder(directory.resolve("head"))
        .maxBytes(HEAD_MAX_BYTES).build())) {
      int recovered = 0;
      while (!head.isEmpty()) {
        try {
          byte[] record = head.peek();
          if (record == null) {
            break;
          }
          memory.add(OutgoingMessage.decode(record));
          recovered++;
        } catch (IOException e) {
          LOG.error("Outbox {}: a message saved at the last stop cannot be read and is dropped: {}", name,
              e.getMessage());
          metrics.corrupt().inc();
        }
        head.remove();
      }
      if (recovered > 0 || !disk.isEmpty()) {
        LOG.info("Outbox {}: {} message(s) saved at the last stop and {} spilled message(s) are sent first", name,
            recovered, disk.size());
      }
    }
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
   * Queues a message; returns at once (after a disk write when spilling).
   *
   * @throws IllegalStateException If the outbox is closed.
   * @throws UncheckedIOException If the spill buffer cannot be written.
   */
  public void offer(OutgoingMessage message) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("outbox " + name + " is closed; message for output '" + message.output()
            + "' not accepted");
      }
      if (disk.isEmpty() && memory.size() < config.memoryQueueMessages()) {
        memory.add(message);
      } else {
        spill(message);
      }
      updateGauges();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void spill(OutgoingMessage message) {
    try {
      AppendResult result = disk.append(message.encode());
      if (result.droppedRecords() > 0) {
        droppedOldest += result.droppedRecords();
        metrics.dropped().inc(result.droppedRecords());
        LOG.warn("Outbox {}: spill buffer full ({} bytes): dropped the {} oldest message(s) ({} in all)", name,
            config.spillMaxBytes(), result.droppedRecords(), droppedOldest);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("outbox " + name + ": cannot write the spill buffer in " + directory, e);
    }
  }

  /** Applies new limits; the spill buffer keeps its messages (a smaller limit drops the oldest on the next spill). */
  public void reconfigure(DeliveryConfig newConfig) throws IOException {
    lock.lock();
    try {
      if (closed || newConfig.equals(config)) {
        return;
      }
      if (newConfig.spillMaxBytes() != config.spillMaxBytes()) {
        disk.close();
        try {
          disk = openSpill(newConfig.spillMaxBytes());
        } catch (IOException | RuntimeException e) {
          disk = openSpill(config.spillMaxBytes());  // Keep the old limit rather than no buffer.
          throw e;
        }
      }
      config = newConfig;
      updateGauges();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until everything offered so far has been sent, or the timeout passes.
   *
   * @return Whether the outbox is empty.
   */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!memory.isEmpty() || !disk.isEmpty()) {
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
      return new OutboxStats(memory.size(), disk.size(), disk.sizeBytes(), config.spillMaxBytes(), sent, droppedOldest,
          sendFailures, lastError);
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      try {
        Duration wait = sendNext(backoff);
        if (wait == null) {
          return;
        }
        backoff = wait;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // Never let the sender die: a spill buffer that cannot be read now may be readable later.
        LOG.error("Outbox {}: the sender failed ({}); retrying in {} ms", name, e, backoff.toMillis(), e);
        lock.lock();
        try {
          sendFailures++;
          lastError = e.toString();
        } finally {
          lock.unlock();
        }
        metrics.sendFailures().inc();
        try {
          if (!pause(backoff)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = longer(backoff);
      }
    }
  }

  /**
   * Sends the oldest waiting message, waiting for one if there is none.
   *
   * @return The backoff to use next, or null once the outbox is closed.
   */
  private Duration sendNext(Duration backoff) throws InterruptedException {
    OutgoingMessage next;
    boolean fromDisk;
    long droppedAtTake;
    lock.lock();
    try {
      while (!closed && memory.isEmpty() && disk.isEmpty()) {
        changed.await();
      }
      if (closed) {
        return null;
      }
      fromDisk = memory.isEmpty();
      droppedAtTake = droppedOldest;
      next = fromDisk ? takeFromDisk() : memory.peek();
      if (next == null) {
        return backoff;
      }
    } finally {
      lock.unlock();
    }
    String error = send(next);
    if (error != null && error.isEmpty()) {
      return null;  // The module stopped: what is left is saved by close().
    }
    lock.lock();
    try {
      if (error == null) {
        sent++;
        lastError = null;
        if (!fromDisk) {
          memory.poll();
        } else if (droppedOldest == droppedAtTake) {
          // Unless the full buffer dropped its oldest (this one) meanwhile.
          removeFromDisk();
        }
        updateGauges();
        changed.signalAll();
        return FIRST_BACKOFF;
      }
      sendFailures++;
      metrics.sendFailures().inc();
      if (lastError == null) {
        LOG.warn("Outbox {}: the hub did not accept a message on '{}' ({}); retrying with backoff, spilling to"
            + " {} past {} messages in memory", name, next.output(), error, directory, config.memoryQueueMessages());
      }
      lastError = error;
    } finally {
      lock.unlock();
    }
    return pause(backoff) ? longer(backoff) : null;
  }

  /** Waits for the backoff to pass (new messages do not cut it short); false when closed meanwhile. */
  private boolean pause(Duration backoff) throws InterruptedException {
    long deadline = System.nanoTime() + backoff.toNanos();
    lock.lock();
    try {
      long left;
      while (!closed && (left = deadline - System.nanoTime()) > 0) {
        changed.awaitNanos(left);
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  private static Duration longer(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /** Sends; returns null on success, "" when the module has stopped, else the error. */
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

  /** The oldest spilled message; a record that cannot be read is counted, logged and skipped. */
  private OutgoingMessage takeFromDisk() {
    while (!disk.isEmpty()) {
      try {
        byte[] record = disk.peek();
        if (record == null) {
          return null;
        }
        return OutgoingMessage.decode(record);
      } catch (IOException e) {
        LOG.error("Outbox {}: a spilled message cannot be read and is dropped: {}", name, e.getMessage());
        metrics.corrupt().inc();
        removeFromDisk();
      }
    }
    return null;
  }

  private void removeFromDisk() {
    try {
      disk.remove();
    } catch (IOException e) {
      throw new UncheckedIOException("outbox " + name + ": cannot update the spill buffer in " + directory, e);
    }
  }

  private void updateGauges() {
    metrics.memoryQueued().set(memory.size());
    metrics.spilledMessages().set(disk.size());
    metrics.spilledBytes().set(disk.sizeBytes());
    metrics.spillMaxBytes().set(config.spillMaxBytes());
  }

  /**
   * Stops the sender (after its current attempt), saves the messages in memory to the head buffer and
   * closes the spill buffer. Idempotent.
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
    try (DiskBuffer spill = disk) {
      if (!memory.isEmpty()) {
        try (DiskBuffer head = DiskBuffer.open(DiskBufferOptions.builder(directory.resolve("head"))
            .maxBytes(HEAD_MAX_BYTES).overflowPolicy(OverflowPolicy.REJECT_NEWEST).build())) {
          int saved = 0;
          for (OutgoingMessage m : memory) {
            if (head.append(m.encode()).stored()) {
              saved++;
            }
          }
          LOG.info("Outbox {}: saved {} unsent message(s) from memory to {} ({} more wait in the spill buffer)", name,
              saved, directory, spill.size());
          if (saved < memory.size()) {
            LOG.error("Outbox {}: {} message(s) could not be saved at stop", name, memory.size() - saved);
          }
        }
        memory.clear();
      }
    } finally {
      lock.unlock();
    }
  }
}
