package io.edgeai4j.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hot paths allocate what their javadoc says and nothing per sample. */
class AllocationTest {
  private static com.sun.management.ThreadMXBean threads;

  private double checksum;
  private int windows;

  private final WindowConsumer countWindows = (window, endOffset) -> {
    windows++;
    checksum += window[endOffset % window.length];
  };

  @BeforeAll
  static void needAllocationCounters() {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
    threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "needs thread allocation counters");
    threads.setThreadAllocatedMemoryEnabled(true);
  }

  @Test
  void addingSamplesAllocatesNothing() {
    SlidingWindow window = new SlidingWindow(WindowSpec.sliding(1024, 512));
    double[] block = noise(2560);
    for (int i = 0; i < 2_000; i++) {
      window.add(block, 0, block.length, countWindows);
      window.add(block[i], countWindows);
    }
    long before = allocatedBytes();
    for (int i = 0; i < 2_000; i++) {
      window.add(block, 0, block.length, countWindows);
      window.add(block[i], countWindows);
    }
    long allocated = allocatedBytes() - before;
    assertThat(windows).isGreaterThan(0);
    // Nothing per call; a few hundred bytes of slack for the measurement itself.
    assertThat(allocated).as("bytes allocated by 4000 add calls").isLessThan(1_000);
  }

  @Test
  void extractingAllocatesOnlyTheResult() {
    FeatureExtractor extractor = new FeatureExtractor(1024, 25_000, FrequencyBand.equalWidth(8, 25_000));
    double[] window = noise(1024);
    for (int i = 0; i < 2_000; i++) {
      checksum += extractor.extract(window).rms();
    }
    int calls = 2_000;
    long before = allocatedBytes();
    for (int i = 0; i < calls; i++) {
      checksum += extractor.extract(window).bandEnergies()[i % 8];
    }
    long perCall = (allocatedBytes() - before) / calls;
    // Features (~80 bytes) and its 8 band energies (~80 bytes): nothing proportional to the window.
    assertThat(perCall).as("bytes allocated per extract").isLessThan(256);
  }

  private static double[] noise(int n) {
    Random random = new Random(1);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextGaussian();
    }
    return values;
  }

  private static long allocatedBytes() {
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
