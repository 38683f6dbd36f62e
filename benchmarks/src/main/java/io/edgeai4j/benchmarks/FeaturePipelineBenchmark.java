package io.edgeai4j.benchmarks;

import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.config.WindowConfig;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.validation.Rejection;
import io.edgeai4j.ingestion.validation.SensorValidator;
import io.edgeai4j.signal.FeatureExtractor;
import io.edgeai4j.signal.Features;
import io.edgeai4j.signal.FrequencyBand;
import io.edgeai4j.signal.SlidingWindow;
import io.edgeai4j.signal.WindowConsumer;
import io.edgeai4j.signal.WindowSpec;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.DoubleFFT_1D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validation, windowing and feature extraction of one 25 kHz vibration channel, in samples per second on
 * one thread, against the bare JTransforms FFT on the same windows.
 *
 * <p>Each invocation feeds one block of {@value #BLOCK} samples (100 ms): {@link #pipeline()} through a
 * {@link SlidingWindow} of {@value #WINDOW} samples with hop {@value #HOP} and a {@link FeatureExtractor}
 * with 8 equal bands; {@link #bareFft()} copies the same number of {@value #WINDOW}-sample windows
 * ({@value #BLOCK} / {@value #HOP} = 5, at 50 % overlap) into a scratch array and calls
 * {@link DoubleFFT_1D#realForward(double[])} on each. {@link #validatedPipeline()} is the sensor-ingestion
 * module's path for a block: a {@link SampleBlock} as a source makes it, checked by the module's
 * {@link SensorValidator} (unit, NaN/Inf, range, timestamp order, stuck-at), then windows and features. One operation is one sample, so the score is samples/s
 * and {@code pipeline / bareFft} is the cost of everything around the FFT. Both return a checksum so that
 * nothing is optimised away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeaturePipelineBenchmark {
  static final double SAMPLE_RATE_HZ = 25_000;
  static final int WINDOW = 1024;
  static final int HOP = 512;
  static final int BLOCK = 2560;
  static final int BANDS = 8;
  /** Blocks in the recorded signal (10.24 s); the benchmark cycles through them. */
  static final int BLOCKS = 100;

  private double[] signal;
  private int block;
  private SlidingWindow window;
  private FeatureExtractor extractor;
  private double checksum;
  private int windows;
  private final WindowConsumer extractFeatures = this::extractFeatures;
  private DoubleFFT_1D fft;
  private double[] fftScratch;
  private double[][] blocks;
  private SensorValidator validator;
  private Instant blockStart;
  private long rejected;

  /** Generates the signal and builds both pipelines. */
  @Setup
  public void setUp() {
    // The signal, then its first WINDOW samples again so that a baseline window may run past the end.
    double[] recorded = VibrationSignal.generate(BLOCKS * BLOCK, SAMPLE_RATE_HZ, 42);
    signal = new double[recorded.length + WINDOW];
    System.arraycopy(recorded, 0, signal, 0, recorded.length);
    System.arraycopy(recorded, 0, signal, recorded.length, WINDOW);
    window = new SlidingWindow(WindowSpec.sliding(WINDOW, HOP));
    extractor = new FeatureExtractor(WINDOW, SAMPLE_RATE_HZ, FrequencyBand.equalWidth(BANDS, SAMPLE_RATE_HZ));
    fft = new DoubleFFT_1D(WINDOW);
    fftScratch = new double[WINDOW];
    blocks = new double[BLOCKS][];
    for (int i = 0; i < BLOCKS; i++) {
      blocks[i] = java.util.Arrays.copyOfRange(recorded, i * BLOCK, (i + 1) * BLOCK);
    }
    validator = new SensorValidator(SensorConfig.of(null, "m/s^2", -500.0, 500.0, 500, null, null,
        WindowConfig.of(WINDOW, HOP), SAMPLE_RATE_HZ, null, BANDS, null, null, null));
    blockStart = Instant.parse("2026-11-28T00:00:00Z");
    block = 0;
  }

  /** Validation, windows and features of one block, as the sensor-ingestion module runs them. */
  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public double validatedPipeline() {
    checksum = 0;
    int index = block;
    block = block + 1 == BLOCKS ? 0 : block + 1;
    SampleBlock samples = new SampleBlock("vibration", blockStart, SAMPLE_RATE_HZ, blocks[index], "m/s^2", Map.of());
    blockStart = blockStart.plusNanos(BLOCK * 40_000L);
    Rejection rejection = validator.check(samples, blockStart);
    if (rejection != null) {
      rejected++;
      return -1;
    }
    window.add(samples.values(), 0, BLOCK, extractFeatures);
    return checksum;
  }

  /** Windows and features of one block; returns a checksum of the features. */
  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public double pipeline() {
    checksum = 0;
    int from = nextBlockStart();
    window.add(signal, from, from + BLOCK, extractFeatures);
    return checksum;
  }

  /** The bare FFT on as many windows as the pipeline makes from one block; returns a checksum. */
  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public double bareFft() {
    double sum = 0;
    int from = nextBlockStart();
    for (int start = from; start < from + BLOCK; start += HOP) {
      System.arraycopy(signal, start, fftScratch, 0, WINDOW);
      fft.realForward(fftScratch);
      sum += fftScratch[2];
    }
    return sum;
  }

  /** Blocks the validator refused (none should be). */
  long rejected() {
    return rejected;
  }

  /** Windows completed so far by {@link #pipeline()}. */
  int windows() {
    return windows;
  }

  private int nextBlockStart() {
    int from = block * BLOCK;
    block = block + 1 == BLOCKS ? 0 : block + 1;
    return from;
  }

  private void extractFeatures(double[] samples, int endOffset) {
    Features features = extractor.extract(samples);
    windows++;
    checksum += features.rms() + features.kurtosis() + features.bandEnergies()[BANDS - 1];
  }
}
