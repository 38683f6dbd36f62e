package io.edgeai4j.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SlidingWindowTest {
  /** Values are passed at this offset in a larger array, so that endOffset must count from the array's start. */
  private static final int PADDING = 3;

  /** How a stream is split into add calls. */
  enum Split {
    ONE_SAMPLE_AT_A_TIME,
    ONE_ELEMENT_RANGES,
    CHUNKS_OF_SIZE,
    CHUNKS_OF_HOP_MINUS_ONE,
    CHUNKS_OF_SIZE_PLUS_ONE,
    RANDOM_CHUNKS_WITH_EMPTY_ONES,
    WHOLE_STREAM_AT_ONCE;

    int[] chunkLengths(int streamLength, WindowSpec spec) {
      List<Integer> lengths = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(7);
      int left = streamLength;
      while (left > 0) {
        int length = switch (this) {
          case ONE_SAMPLE_AT_A_TIME, ONE_ELEMENT_RANGES -> 1;
          case CHUNKS_OF_SIZE -> spec.size();
          case CHUNKS_OF_HOP_MINUS_ONE -> Math.max(1, spec.hop() - 1);
          case CHUNKS_OF_SIZE_PLUS_ONE -> spec.size() + 1;
          case RANDOM_CHUNKS_WITH_EMPTY_ONES -> random.nextInt(0, 3 * spec.size());
          case WHOLE_STREAM_AT_ONCE -> streamLength;
        };
        length = Math.min(length, left);
        lengths.add(length);
        left -= length;
      }
      return lengths.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** A window as the consumer saw it: a copy of the samples and the end offset. */
  record Seen(double[] samples, int endOffset) {}

  static Stream<Arguments> specsAndSplits() {
    List<WindowSpec> specs = List.of(WindowSpec.tumbling(2), WindowSpec.sliding(2, 1), WindowSpec.tumbling(8),
        WindowSpec.sliding(8, 3), WindowSpec.sliding(8, 1), WindowSpec.sliding(16, 7), WindowSpec.sliding(1024, 512));
    return specs.stream().flatMap(spec -> Arrays.stream(Split.values()).map(split -> Arguments.of(spec, split)));
  }

  @ParameterizedTest(name = "{0} split {1}")
  @MethodSource("specsAndSplits")
  void windowsAreTheSlicesOfTheWholeStreamHoweverItIsSplit(WindowSpec spec, Split split) {
    int streamLength = 5 * spec.size() + spec.hop() / 2 + 1;
    double[] stream = new SplittableRandom(11).doubles(streamLength).toArray();
    SlidingWindow window = new SlidingWindow(spec);
    List<Seen> seen = new ArrayList<>();
    List<Integer> expectedEndOffsets = new ArrayList<>();
    int chunkStart = 0;
    for (int length : split.chunkLengths(streamLength, spec)) {
      for (int end = spec.size() - 1; end < streamLength; end += spec.hop()) {
        if (end >= chunkStart && end < chunkStart + length) {
          expectedEndOffsets.add(split == Split.ONE_SAMPLE_AT_A_TIME ? 0 : PADDING + end - chunkStart);
        }
      }
      if (split == Split.ONE_SAMPLE_AT_A_TIME) {
        window.add(stream[chunkStart], (w, end) -> seen.add(new Seen(w.clone(), end)));
      } else {
        double[] padded = new double[PADDING + length + 2];
        System.arraycopy(stream, chunkStart, padded, PADDING, length);
        window.add(padded, PADDING, PADDING + length, (w, end) -> seen.add(new Seen(w.clone(), end)));
      }
      chunkStart += length;
    }

    List<double[]> expectedWindows = new ArrayList<>();
    for (int start = 0; start + spec.size() <= streamLength; start += spec.hop()) {
      expectedWindows.add(Arrays.copyOfRange(stream, start, start + spec.size()));
    }
    assertThat(seen).extracting(Seen::samples).containsExactlyElementsOf(expectedWindows);
    assertThat(seen).extracting(Seen::endOffset).containsExactlyElementsOf(expectedEndOffsets);
    int lastWindowEnd = spec.size() - 1 + (expectedWindows.size() - 1) * spec.hop();
    assertThat(window.pending()).isEqualTo(spec.size() - spec.hop() + (streamLength - 1 - lastWindowEnd));
  }

  @ParameterizedTest(name = "size {0} hop {1} after {2} samples: {3} windows, {4} pending")
  @CsvSource({
      "4, 4, 0, 0, 0",
      "4, 4, 3, 0, 3",
      "4, 4, 4, 1, 0",
      "4, 4, 9, 2, 1",
      "4, 1, 4, 1, 3",
      "4, 1, 6, 3, 3",
      "6, 4, 5, 0, 5",
      "6, 4, 9, 1, 5",
      "6, 4, 10, 2, 2",
  })
  void countsWindowsAndPendingSamples(int size, int hop, int samples, int windows, int pending) {
    SlidingWindow window = new SlidingWindow(WindowSpec.sliding(size, hop));
    int[] count = {0};
    for (int i = 0; i < samples; i++) {
      window.add(i, (w, end) -> count[0]++);
    }
    assertThat(count[0]).isEqualTo(windows);
    assertThat(window.pending()).isEqualTo(pending);
  }

  @Test
  void resetDiscardsPendingSamples() {
    SlidingWindow window = new SlidingWindow(WindowSpec.sliding(4, 2));
    List<double[]> seen = new ArrayList<>();
    window.add(new double[] {1, 2, 3, 4, 5}, 0, 5, (w, end) -> seen.add(w.clone()));
    assertThat(window.pending()).isEqualTo(3);

    window.reset();

    assertThat(window.pending()).isZero();
    window.add(new double[] {10, 11, 12, 13}, 0, 4, (w, end) -> seen.add(w.clone()));
    assertThat(seen).containsExactly(new double[] {1, 2, 3, 4}, new double[] {10, 11, 12, 13});
  }

  @Test
  void aConsumerThatChangesTheWindowDoesNotChangeLaterWindows() {
    SlidingWindow window = new SlidingWindow(WindowSpec.sliding(4, 1));
    List<double[]> seen = new ArrayList<>();
    window.add(new double[] {1, 2, 3, 4, 5, 6}, 0, 6, (w, end) -> {
      seen.add(w.clone());
      Arrays.fill(w, -1);
    });
    assertThat(seen).containsExactly(new double[] {1, 2, 3, 4}, new double[] {2, 3, 4, 5}, new double[] {3, 4, 5, 6});
  }

  @Test
  void rejectsARangeOutsideTheValues() {
    SlidingWindow window = new SlidingWindow(WindowSpec.tumbling(4));
    assertThatThrownBy(() -> window.add(new double[3], 2, 4, (w, end) -> {}))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> window.add(new double[3], 2, 1, (w, end) -> {}))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(window.pending()).isZero();
  }

  @ParameterizedTest(name = "size {0} hop {1}")
  @CsvSource({
      "1, 1, 'window size must be in [2, 1048576] samples, found 1'",
      "0, 1, 'window size must be in [2, 1048576] samples, found 0'",
      "-4, 1, 'window size must be in [2, 1048576] samples, found -4'",
      "1048577, 1, 'window size must be in [2, 1048576] samples, found 1048577'",
      "8, 0, 'window hop must be in [1, size 8] samples, found 0'",
      "8, -1, 'window hop must be in [1, size 8] samples, found -1'",
      "8, 9, 'window hop must be in [1, size 8] samples, found 9'",
  })
  void rejectsAnInvalidSpecNamingTheValue(int size, int hop, String message) {
    assertThatThrownBy(() -> WindowSpec.sliding(size, hop))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void tumblingHasHopEqualToSize() {
    assertThat(WindowSpec.tumbling(1024)).isEqualTo(new WindowSpec(1024, 1024));
    assertThat(WindowSpec.tumbling(1024).isTumbling()).isTrue();
    assertThat(WindowSpec.sliding(1024, 512).overlap()).isEqualTo(512);
    assertThatThrownBy(() -> WindowSpec.tumbling(1)).hasMessageContaining("found 1");
    assertThat(new WindowSpec(WindowSpec.MAX_SIZE, 1).size()).isEqualTo(1 << 20);
  }
}
