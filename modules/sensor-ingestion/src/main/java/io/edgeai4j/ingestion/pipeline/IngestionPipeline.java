package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.config.DeadLetterConfig;
import io.edgeai4j.ingestion.config.IngestionConfig;
import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SourceState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sources and the per-sensor channels their readings go through. {@link #apply} moves from
 * one configuration to the next without a restart: a source whose type and settings are unchanged keeps
 * running, and a sensor whose configuration is unchanged keeps its window and validation state; what
 * changed is closed and started anew. Messages go to the consumer given at creation (the outbox), which
 * must not block. Dead letters are gathered per sensor, check and source over {@code deadLetters.intervalMillis};
 * the owner calls {@link #flushDeadLetters} about once a second to send the intervals that ended, and
 * {@link #close} sends the rest.
 *
 * <p>Thread-safe: sources call in from their own threads; {@link #apply} and {@link #close} are
 * serialised. The creator owns it and closes it, which closes every source.
 */
public final class IngestionPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionPipeline.class);

  private final String module;
  private final Consumer<OutgoingMessage> out;
  private final IngestionMetrics metrics;
  private final Clock clock;
  private final Path stateRoot;
  private final Consumer<String> onStateChange;
  private final DeadLetterAggregator deadLetters;
  private volatile Map<String, SensorChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, RunningSource> sources = new TreeMap<>();
  private ResolvedConfig current;
  private boolean closed;

  /**
   * Creates an empty pipeline.
   *
   * @param module The module id, for metrics and logs.
   * @param out Where messages go; must not block.
   * @param metrics The metric families.
   * @param clock The clock validation compares timestamps with.
   * @param stateRoot The directory under which each source gets {@code sources/<name>}.
   * @param onStateChange Told the name of a source whose state changed.
   */
  public IngestionPipeline(String module, Consumer<OutgoingMessage> out, IngestionMetrics metrics, Clock clock,
      Path stateRoot, Consumer<String> onStateChange) {
    this.module = module;
    this.out = out;
    this.metrics = metrics;
    this.clock = clock;
    this.stateRoot = stateRoot;
    this.onStateChange = onStateChange;
    this.deadLetters = new DeadLetterAggregator(out, DeadLetterConfig.DEFAULT, metrics, module);
  }

  /**
   * Moves to a new configuration: channels first (so new sources meet their sensors' new checks), then
   * sources: removed and changed ones are closed, new and changed ones started.
   */
  public synchronized void apply(ResolvedConfig next) {
    if (closed) {
      throw new IllegalStateException("pipeline of " + module + " is closed");
    }
    IngestionConfig config = next.config();
    deadLetters.reconfigure(config.deadLetters());
    Map<String, SensorChannel> old = channels;
    Map<String, SensorChannel> fresh = new ConcurrentHashMap<>();
    for (Map.Entry<String, SensorConfig> e : config.sensors().entrySet()) {
      SensorChannel existing = old.get(e.getKey());
      fresh.put(e.getKey(), existing != null && existing.config().equals(e.getValue()) ? existing
          : newChannel(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, SensorChannel> e : old.entrySet()) {
      if (!config.sensors().containsKey(e.getKey()) && e.getValue().config().equals(SensorConfig.DEFAULT)) {
        fresh.put(e.getKey(), e.getValue());
      }
    }
    channels = fresh;
    for (Map.Entry<String, SensorChannel> e : old.entrySet()) {
      if (fresh.get(e.getKey()) != e.getValue()) {
        e.getValue().discard();
      }
    }
    for (String name : new TreeMap<>(sources).keySet()) {
      RunningSource running = sources.get(name);
      if (!running.resolved().sameAs(next.sources().get(name))) {
        LOG.info("Source '{}' {}", name, next.sources().containsKey(name) ? "changed: restarting it" : "removed");
        sources.remove(name).close();
        metrics.sourceConnected.labelValues(module, name).set(0);
      }
    }
    // A sensor whose source was removed or restarted may now be fed by another source.
    java.util.Set<String> kept = new java.util.HashSet<>(sources.keySet());
    fresh.values().forEach(channel -> channel.release(kept));
    for (ResolvedSource resolved : next.sources().values()) {
      if (!sources.containsKey(resolved.name())) {
        RunningSource running = new RunningSource(resolved, this, clock,
            stateRoot.resolve("sources").resolve(resolved.name()));
        sources.put(resolved.name(), running);
        running.start();
      }
    }
    current = next;
  }

  private SensorChannel newChannel(String sensor, SensorConfig config) {
    return new SensorChannel(sensor, config, out, deadLetters, metrics, module);
  }

  /** Sends the dead-letter messages of the intervals that have ended by the clock. */
  public void flushDeadLetters() {
    deadLetters.flushDue(clock.instant());
  }

  /** The configuration applied last, or null. */
  public synchronized ResolvedConfig current() {
    return current;
  }

  /** Each source's status, by name. */
  public synchronized Map<String, SourceStatus> sourceStatus() {
    Map<String, SourceStatus> status = new TreeMap<>();
    sources.forEach((name, s) -> status.put(name, s.status()));
    return status;
  }

  void accept(String source, Reading reading) {
    channel(reading.sensor()).accept(source, reading, clock.instant());
  }

  void accept(String source, SampleBlock block) {
    channel(block.sensor()).accept(source, block, clock.instant());
  }

  /** The sample rate the current configuration gives {@code sensor}, or empty. */
  OptionalDouble sampleRateHz(String sensor) {
    SensorChannel channel = channels.get(sensor);
    Double rate = channel == null ? null : channel.config().sampleRateHz();
    return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
  }

  private SensorChannel channel(String sensor) {
    Map<String, SensorChannel> map = channels;
    SensorChannel channel = map.get(sensor);
    return channel != null ? channel : map.computeIfAbsent(sensor, s -> newChannel(s, SensorConfig.DEFAULT));
  }

  void stateChanged(String source, SourceState state) {
    metrics.sourceConnected.labelValues(module, source).set(state == SourceState.CONNECTED ? 1 : 0);
    onStateChange.accept(source);
  }

  void lost(String source, int samples, RuntimeException e) {
    metrics.lost.labelValues(module, source).inc(samples);
    LOG.error("Source '{}': {} sample(s) could not be buffered and are lost: {}", source, samples, e.toString());
  }

  /** Closes every source, then sends the dead letters gathered so far. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (RunningSource s : sources.values()) {
      s.close();
    }
    channels.values().forEach(SensorChannel::discard);
    deadLetters.flushAll(clock.instant());
  }
}
