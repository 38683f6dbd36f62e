package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the {@link MachineModel}'s signals into messages: vibration {@link SampleBlock}s and
 * temperature and current {@link Reading}s, stamped {@code origin + simulated time} and labelled with
 * the ground truth ({@code label}, {@code faultSeverity}). Pure and thread-free: the output depends only
 * on the settings, the origin and how far it is advanced, never on when it is advanced, so the same
 * seed gives bit-identical blocks however the calls are spaced. Not thread-safe.
 *
 * <p>Vibration blocks are {@code blockMillis} long, counted from time 0 (with a rate that does not
 * divide evenly, block sizes differ by one sample). A block is cut short at each fault onset and at the
 * end of the run, so every sample of a block has the block's label. Sample {@code n} is taken at
 * {@code origin + n / sampleRateHz}, rounded to the nanosecond.
 */
public final class MachineSimulator {
  /** Unit of the vibration samples. */
  public static final String VIBRATION_UNIT = "m/s^2";
  /** Unit of the temperature readings. */
  public static final String TEMPERATURE_UNIT = "degC";
  /** Unit of the current readings. */
  public static final String CURRENT_UNIT = "A";

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Where the simulator's output goes. */
  public interface Sink {
    /** Takes a vibration block. */
    void accept(SampleBlock block);

    /** Takes a temperature or current reading. */
    void accept(Reading reading);
  }

  private final SimulatorSettings settings;
  private final Instant origin;
  private final MachineModel model;
  private final FaultScript script;
  private final long rate;
  private final long blockUnits;
  private final long[] onsetSamples;
  private final long endSample;
  private final long endNanos;
  private long nextSample;
  private long nextSlow;

  /**
   * Creates a simulator at simulated time 0.
   *
   * @param settings The machine.
   * @param origin The timestamp of simulated time 0.
   */
  public MachineSimulator(SimulatorSettings settings, Instant origin) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.model = new MachineModel(settings);
    this.script = model.script();
    this.rate = settings.sampleRateHz();
    this.blockUnits = settings.block().toMillis() * rate;
    this.onsetSamples = Arrays.stream(script.onsetNanos()).map(this::firstSampleAtOrAfter).sorted().toArray();
    this.endNanos = settings.duration().map(Duration::toNanos).orElse(Long.MAX_VALUE);
    this.endSample = settings.duration().isPresent() ? firstSampleAtOrAfter(endNanos) : Long.MAX_VALUE;
  }

  /**
   * Produces, in time order, every block that ends and every reading taken at or before
   * {@code simulatedTime} (and before the end of the run) that was not produced yet.
   */
  public void advanceTo(Duration simulatedTime, Sink sink) {
    long until = simulatedTime.toNanos();
    while (true) {
      long blockEnd = nextSample < endSample ? blockEnd(nextSample) : -1;
      long blockReadyNanos = blockEnd < 0 ? Long.MAX_VALUE : sampleNanos(blockEnd);
      long readingNanos = slowNanos(nextSlow);
      boolean readingDue = readingNanos < endNanos && readingNanos <= until;
      boolean blockDue = blockReadyNanos <= until;
      if (readingDue && (!blockDue || readingNanos <= blockReadyNanos)) {
        emitSlow(sink, readingNanos);
      } else if (blockDue) {
        emitBlock(sink, blockEnd);
      } else {
        return;
      }
    }
  }

  /** Whether the run's {@code durationSeconds} is over and everything in it was produced. */
  public boolean finished() {
    return nextSample >= endSample && slowNanos(nextSlow) >= endNanos;
  }

  /** The index of the next vibration sample to produce. */
  public long nextSample() {
    return nextSample;
  }

  /** The time of vibration sample {@code n}, in nanoseconds since simulated time 0. */
  public long sampleNanos(long n) {
    return n / rate * NANOS_PER_SECOND + Math.round((n % rate) * 1e9 / rate);
  }

  /** The time of slow sample {@code m}, in nanoseconds since simulated time 0. */
  public long slowNanos(long m) {
    return Math.round(m * 1e9 / settings.slowRateHz());
  }

  private void emitBlock(Sink sink, long end) {
    double[] values = new double[Math.toIntExact(end - nextSample)];
    model.vibration(nextSample, values);
    long startNanos = sampleNanos(nextSample);
    Map<String, String> properties = script.propertiesAt(startNanos);
    SampleBlock block = new SampleBlock(settings.vibrationSensor(), origin.plusNanos(startNanos), rate, values,
        VIBRATION_UNIT, properties);
    nextSample = end;
    sink.accept(block);
  }

  private void emitSlow(Sink sink, long nanos) {
    MachineModel.SlowSample sample = model.slow(nextSlow, nanos / 1e9);
    Map<String, String> properties = script.propertiesAt(nanos);
    Instant at = origin.plusNanos(nanos);
    nextSlow++;
    sink.accept(new Reading(settings.temperatureSensor(), at, sample.temperatureC(), TEMPERATURE_UNIT, properties));
    sink.accept(new Reading(settings.currentSensor(), at, sample.currentA(), CURRENT_UNIT, properties));
  }

  /** The end (exclusive) of the block that starts at {@code start}. */
  private long blockEnd(long start) {
    long k = start * 1000 / blockUnits + 1;
    long end = k * blockUnits / 1000;
    while (end <= start) {
      k++;
      end = k * blockUnits / 1000;
    }
    for (long onset : onsetSamples) {
      if (onset > start && onset < end) {
        end = onset;
      }
    }
    return Math.min(end, endSample);
  }

  /** The first vibration sample whose (rounded) time is at or after {@code nanos}. */
  private long firstSampleAtOrAfter(long nanos) {
    long n = nanos / NANOS_PER_SECOND * rate + ceilDiv(nanos % NANOS_PER_SECOND * rate, NANOS_PER_SECOND);
    while (n > 0 && sampleNanos(n - 1) >= nanos) {
      n--;
    }
    while (sampleNanos(n) < nanos) {
      n++;
    }
    return n;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
