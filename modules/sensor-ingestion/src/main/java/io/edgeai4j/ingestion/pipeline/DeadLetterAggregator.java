package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.config.DeadLetterConfig;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Gathers dead letters into one {@code deadletter} message per sensor, check and source per interval: the
 * interval of a key opens with its first dead letter and lasts {@link DeadLetterConfig#interval()}; its message
 * (count, first and last example) is sent by the first {@link #flushDue} or {@link #add} after it ends, or by
 * {@link #flushAll} at stop. At most {@link DeadLetterConfig#maxKeys()} keys gather at once; the dead letters of
 * further keys gather in one overflow entry with the same interval, counted in a metric.
 *
 * <p>Thread-safe: sources add from their own threads and a timer flushes; messages go to the consumer under the
 * aggregator's lock, so one key's messages leave in order (the consumer must not block).
 */
final class DeadLetterAggregator {
  private record Key(String sensor, String check, String source) {}

  /** One key's open interval. */
  static final class Entry {
    final Instant start;
    long count;
    long samples;
    DeadLetter first;
    DeadLetter last;

    Entry(Instant start) {
      this.start = start;
    }

    void add(DeadLetter letter) {
      if (first == null) {
        first = letter;
      }
      last = letter;
      count++;
      samples += letter.samples();
    }
  }

  private final Consumer<OutgoingMessage> out;
  private final CounterDataPoint messages;
  private final GaugeDataPoint keys;
  private final CounterDataPoint overflowed;
  private final Map<Key, Entry> open = new LinkedHashMap<>();
  private Entry overflow;
  private DeadLetterConfig config;

  DeadLetterAggregator(Consumer<OutgoingMessage> out, DeadLetterConfig config, IngestionMetrics metrics,
      String module) {
    this.out = Objects.requireNonNull(out, "out");
    this.config = Objects.requireNonNull(config, "config");
    this.messages = metrics.deadLetterMessages.labelValues(module);
    this.keys = metrics.deadLetterKeys.labelValues(module);
    this.overflowed = metrics.deadLetterOverflow.labelValues(module);
  }

  /** Applies a new interval and key limit; open intervals end by the new interval, open keys stay. */
  synchronized void reconfigure(DeadLetterConfig next) {
    config = Objects.requireNonNull(next, "next");
  }

  /** Adds a dead letter at its {@code receivedAt}; first sends its key's message if that key's interval ended. */
  synchronized void add(DeadLetter letter) {
    Instant now = letter.receivedAt();
    Key key = new Key(letter.sensor(), letter.rejection().check().label(), letter.source());
    Entry entry = open.get(key);
    if (entry != null && isDue(entry, now)) {
      send(key, open.remove(key), now);
      entry = null;
    }
    if (entry == null && open.size() >= config.maxKeys()) {
      if (overflow != null && isDue(overflow, now)) {
        send(null, overflow, now);
        overflow = null;
      }
      if (overflow == null) {
        overflow = new Entry(now);
      }
      overflowed.inc();
      overflow.add(letter);
      return;
    }
    if (entry == null) {
      entry = new Entry(now);
      open.put(key, entry);
    }
    entry.add(letter);
    keys.set(open.size());
  }

  /** Sends the messages of every interval that has ended by {@code now}. */
  synchronized void flushDue(Instant now) {
    flush(now, false);
  }

  /** Sends every open interval's message, ending it at {@code now} at the latest (the module stops). */
  synchronized void flushAll(Instant now) {
    flush(now, true);
  }

  /** Keys gathering now, the overflow entry not counted. */
  synchronized int openKeys() {
    return open.size();
  }

  private void flush(Instant now, boolean all) {
    for (Iterator<Map.Entry<Key, Entry>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Entry> e = it.next();
      if (all || isDue(e.getValue(), now)) {
        it.remove();
        send(e.getKey(), e.getValue(), now);
      }
    }
    keys.set(open.size());
    if (overflow != null && (all || isDue(overflow, now))) {
      send(null, overflow, now);
      overflow = null;
    }
  }

  private boolean isDue(Entry entry, Instant now) {
    return !now.isBefore(entry.start.plus(config.interval()));
  }

  /** Sends an interval's message; it ends at its nominal end, or at {@code now} if that is earlier. */
  private void send(Key key, Entry entry, Instant now) {
    Instant nominalEnd = entry.start.plus(config.interval());
    Instant end = now.isBefore(nominalEnd) ? now : nominalEnd;
    if (end.isBefore(entry.start)) {
      end = entry.start;  // The clock went back: an interval never ends before it starts.
    }
    out.accept(key == null ? MessageFactory.deadLetterOverflow(entry, end)
        : MessageFactory.deadLetters(key.sensor(), key.source(), entry, end));
    messages.inc();
  }
}
