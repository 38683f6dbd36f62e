package io.edgeai4j.runtime.link;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.retry.Backoff;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.edgeai4j.runtime.hub.UpstreamTarget;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An emulated network link from a child IoT Edge device's {@code $upstream} to its parent's edgeHub, with the
 * bandwidth, latency and loss of a {@link LinkSpec}. It behaves as the one TCP connection edgeHub keeps upstream:
 *
 * <ul>
 *   <li><b>In order, one at a time.</b> Each message takes its serialization time, {@code size × 8 / bandwidth},
 *       behind the ones before it (a busy link delays the next), then the one-way latency. The size is
 *       {@link #wireSize(EdgeMessage)}: body, application properties and the system properties that cross, as
 *       {@link EdgeMessage#sizeInBytes()} counts them (no MQTT, TLS or TCP framing).
 *   <li><b>Loss costs time, never a message.</b> Each transmission is lost with probability {@code lossRate}; a lost
 *       one is sent again after the retransmission timeout {@code max(minRetransmissionTimeout, 2 × latency +
 *       serialization)}, counted from the end of its transmission, and nothing else is sent meanwhile (the messages
 *       behind it could not be delivered before it anyway, the connection being ordered).
 *   <li><b>Down and up</b> ({@link #down()}, {@link #up()}). While down, the link takes nothing: new messages stay in
 *       the child's {@code $upstream} store, in order, expiring by their TTL, as edgeHub keeps them while its
 *       upstream is unreachable; the messages already on the link wait and are sent again, in order, from the moment
 *       it comes up.
 *   <li><b>Bounded.</b> Past {@link LinkOptions#maxQueuedBytes()} on the link, new messages wait in the child's store
 *       likewise ({@code edgeai4j_link_deferred_total{reason="full"}}).
 *   <li>On arrival a message is handed to the parent's hub ({@link LocalEdgeHub#publishFromChildDevice}); while the
 *       parent refuses it (store full) it is retried with {@link LinkOptions#receiverRetry()} and the ones behind it
 *       wait; one refused for good (too large) is dropped, logged and counted.
 * </ul>
 *
 * <p>Timings come from {@link System#nanoTime()}; one scheduler thread per link delivers, and nothing in the delivery
 * path sleeps. Thread-safe. The creator owns it; {@link #close()} stops taking messages, waits up to
 * {@link LinkOptions#closeDrainTimeout()} for those on the link, and is idempotent.
 */
public final class EmulatedLink implements UpstreamTarget, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmulatedLink.class);

  /** Takes a message that arrived at the far end of the link. */
  @FunctionalInterface
  public interface Receiver {
    /**
     * Takes one message.
     *
     * @throws TransportException Retryable when it cannot take it now (the link retries, holding the ones behind
     *     it); not retryable when it never will (the link drops it, logs and counts it).
     */
    void receive(EdgeMessage message) throws TransportException;
  }

  private final String name;
  private final LinkSpec spec;
  private final LinkOptions options;
  private final Receiver receiver;
  private final LinkMetrics metrics;
  private final ScheduledExecutorService scheduler;
  private final Backoff retry;
  private final Object lock = new Object();
  private final ArrayDeque<OnLink> onLink = new ArrayDeque<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong deliveredBytes = new AtomicLong();
  private final AtomicLong retransmissions = new AtomicLong();
  private final AtomicLong deferred = new AtomicLong();
  private final AtomicLong transitNanosTotal = new AtomicLong();
  private final AtomicLong transitNanosMax = new AtomicLong();
  private long busyUntil;
  private long queuedBytes;
  private long retryAt;
  private boolean up = true;
  private boolean closed;
  private ScheduledFuture<?> timer;
  private volatile Runnable whenUp = () -> { };

  /** A message on the link: when the link took it, and when it arrives at the far end. */
  private static final class OnLink {
    final EdgeMessage message;
    final long bytes;
    final long takenAt;
    long arrivesAt;

    OnLink(EdgeMessage message, long bytes, long takenAt) {
      this.message = message;
      this.bytes = bytes;
      this.takenAt = takenAt;
    }
  }

  /**
   * Creates a link, up.
   *
   * @param name The link's name for logs and the {@code link} metric label, e.g. {@code sensor-node}.
   * @param spec Bandwidth, latency and loss.
   * @param options Retransmission timeout, bound, random source, retries.
   * @param receiver The far end: the parent's hub.
   * @param registry Where the link's metrics are registered (the child device's registry).
   * @throws IllegalArgumentException If the registry already holds a link's metrics: one link per registry, as a
   *     child device has one parent.
   */
  public EmulatedLink(String name, LinkSpec spec, LinkOptions options, Receiver receiver,
      PrometheusRegistry registry) {
    this.name = Objects.requireNonNull(name, "name");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.options = Objects.requireNonNull(options, "options");
    this.receiver = Objects.requireNonNull(receiver, "receiver");
    this.retry = new Backoff(options.receiverRetry(), Math::random);
    this.metrics = new LinkMetrics(registry, name, this::depth, this::bytesOnLink);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edge-link-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Sets what runs each time the link comes up, after the messages on it are rescheduled: the child's hub offering
   * its waiting {@code $upstream} messages at once ({@link LocalEdgeHub#retryUpstream()}).
   */
  public void whenUp(Runnable action) {
    this.whenUp = Objects.requireNonNull(action, "action");
  }

  /** Returns the link's name, e.g. {@code sensor-node}. */
  public String name() {
    return name;
  }

  /** Returns the link's bandwidth, latency and loss. */
  public LinkSpec spec() {
    return spec;
  }

  /**
   * Returns the bytes a message takes on the link: the {@link EdgeMessage#sizeInBytes()} of what crosses, its body,
   * application properties, the system properties the parent receives
   * ({@link LocalEdgeHub#DOWNSTREAM_SYSTEM_PROPERTIES}) and the sender's identity ({@code connectionDeviceId},
   * {@code connectionModuleId}, which the connection carries).
   */
  public static long wireSize(EdgeMessage message) {
    EdgeMessage.Builder wire = EdgeMessage.builder().body(message.body()).properties(message.properties());
    message.systemProperties().forEach((k, v) -> {
      if (LocalEdgeHub.DOWNSTREAM_SYSTEM_PROPERTIES.contains(k) || k.equals(SystemProperties.CONNECTION_DEVICE_ID)
          || k.equals(SystemProperties.CONNECTION_MODULE_ID)) {
        wire.systemProperty(k, v);
      }
    });
    return wire.build().sizeInBytes();
  }

  /**
   * Returns the retransmission timeout of a message of this size: {@code max(minRetransmissionTimeout, 2 × latency
   * + serialization time)}.
   */
  public Duration retransmissionTimeout(long bytes) {
    Duration rto = spec.latency().multipliedBy(2).plus(spec.serializationTime(bytes));
    return rto.compareTo(options.minRetransmissionTimeout()) < 0 ? options.minRetransmissionTimeout() : rto;
  }

  @Override
  public boolean offer(EdgeMessage message, String sourcePath) {
    long bytes = wireSize(message);
    synchronized (lock) {
      if (closed) {
        return false;
      }
      if (!up) {
        metrics.deferredDown.inc();
        deferred.incrementAndGet();
        return false;
      }
      if (!onLink.isEmpty() && queuedBytes + bytes > options.maxQueuedBytes()) {
        metrics.deferredFull.inc();
        deferred.incrementAndGet();
        return false;
      }
      long now = System.nanoTime();
      OnLink m = new OnLink(message, bytes, now);
      transmit(m, now);
      onLink.addLast(m);
      queuedBytes += bytes;
      armTimer(now);
    }
    return true;
  }

  /** Schedules the transmissions of one message from {@code now}, behind what the link already sends. */
  private void transmit(OnLink m, long now) {
    long serialization = spec.serializationTime(m.bytes).toNanos();
    long rto = retransmissionTimeout(m.bytes).toNanos();
    long start = Math.max(now, busyUntil);
    while (spec.lossRate() > 0 && options.random().nextDouble() < spec.lossRate()) {
      start += serialization + rto;
      retransmissions.incrementAndGet();
      metrics.retransmissions.inc();
    }
    busyUntil = start + serialization;
    m.arrivesAt = busyUntil + spec.latency().toNanos();
  }

  private void armTimer(long now) {
    if (timer != null || !up || onLink.isEmpty() || scheduler.isShutdown()) {
      return;
    }
    long due = Math.max(onLink.peekFirst().arrivesAt, retryAt);
    timer = scheduler.schedule(this::deliverDue, Math.max(0, due - now), TimeUnit.NANOSECONDS);
  }

  private void deliverDue() {
    while (true) {
      OnLink head;
      synchronized (lock) {
        timer = null;
        head = onLink.peekFirst();
        long now = System.nanoTime();
        if (!up || head == null) {
          return;
        }
        if (Math.max(head.arrivesAt, retryAt) > now) {
          armTimer(now);
          return;
        }
      }
      boolean done = hand(head);
      synchronized (lock) {
        if (!done) {
          retryAt = System.nanoTime() + retry.next().toNanos();
          continue;
        }
        retry.reset();
        retryAt = 0;
        onLink.removeFirst();
        queuedBytes -= head.bytes;
        lock.notifyAll();
      }
    }
  }

  /** Hands one message to the far end; false when it should be tried again. */
  private boolean hand(OnLink head) {
    try {
      receiver.receive(head.message);
      long transit = System.nanoTime() - head.takenAt;
      delivered.incrementAndGet();
      deliveredBytes.addAndGet(head.bytes);
      transitNanosTotal.addAndGet(transit);
      transitNanosMax.accumulateAndGet(transit, Math::max);
      metrics.messages.inc();
      metrics.bytes.inc(head.bytes);
      metrics.transit.observe(transit / 1e9);
      return true;
    } catch (TransportException e) {
      if (e.isRetryable()) {
        if (retry.failures() == 0) {
          LOG.warn("Link {}: the parent refused a message for now ({}); it and the ones behind it wait, retried"
              + " with backoff", name, e.getMessage());
        }
        return false;
      }
      metrics.dropped.inc();
      LOG.error("Link {}: the parent refused a message for good, dropped (counted in"
          + " edgeai4j_link_messages_dropped_total): {}", name, e.getMessage());
      return true;
    } catch (RuntimeException e) {
      LOG.error("Link {}: handing a message to the parent failed; retried", name, e);
      return false;
    }
  }

  /**
   * Takes the link down, as a cut cable or a lost route would: it takes no new message (they wait in the child's
   * store) and the messages on it wait. Idempotent.
   */
  public void down() {
    onScheduler(() -> {
      synchronized (lock) {
        if (!up) {
          return;
        }
        up = false;
        if (timer != null) {
          timer.cancel(false);
          timer = null;
        }
      }
      LOG.warn("Link {} down: messages wait in the child's $upstream store", name);
    });
  }

  /** Brings the link up: the messages that were on it are sent again, in order, from now. Idempotent. */
  public void up() {
    onScheduler(() -> {
      synchronized (lock) {
        if (up) {
          return;
        }
        up = true;
        long now = System.nanoTime();
        busyUntil = now;
        for (OnLink m : onLink) {
          retransmissions.incrementAndGet();
          metrics.retransmissions.inc();
          transmit(m, now);
        }
        armTimer(now);
      }
      LOG.info("Link {} up", name);
      whenUp.run();
    });
  }

  /** Returns whether the link is up. */
  public boolean isUp() {
    synchronized (lock) {
      return up;
    }
  }

  private void onScheduler(Runnable action) {
    // On the delivery thread, so that no message is being handed over while the state changes.
    try {
      scheduler.submit(action).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("link " + name + ": cannot change its state: " + e, e);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("link " + name + " is closed", e);
    }
  }

  private long depth() {
    synchronized (lock) {
      return onLink.size();
    }
  }

  private long bytesOnLink() {
    synchronized (lock) {
      return queuedBytes;
    }
  }

  /** Returns what the link has carried so far. */
  public LinkStats stats() {
    long n = delivered.get();
    synchronized (lock) {
      return new LinkStats(n, deliveredBytes.get(), retransmissions.get(), deferred.get(), onLink.size(),
          queuedBytes, n == 0 ? Duration.ZERO : Duration.ofNanos(transitNanosTotal.get() / n),
          Duration.ofNanos(transitNanosMax.get()));
    }
  }

  @Override
  public String describe() {
    return "link " + name + " (" + spec + ")";
  }

  /**
   * Stops taking messages, waits up to {@link LinkOptions#closeDrainTimeout()} for the ones on the link to arrive
   * (none arrive while it is down), then stops; what is left is logged and counted as dropped. Idempotent.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + options.closeDrainTimeout().toNanos();
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        while (up && !onLink.isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          lock.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!onLink.isEmpty()) {
        metrics.dropped.inc(onLink.size());
        LOG.warn("Link {} closed with {} messages still on it ({}), dropped", name, onLink.size(),
            up ? "not arrived within " + options.closeDrainTimeout().toMillis() + " ms" : "the link is down");
      }
    }
    scheduler.shutdownNow();
  }

  @Override
  public String toString() {
    return describe();
  }
}
