package io.edgeai4j.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiskBufferOptionsTest {
  private static final Path DIRECTORY = Path.of("buffer");

  @Test
  void hasDocumentedDefaults() {
    DiskBufferOptions options = DiskBufferOptions.builder(DIRECTORY).build();

    assertThat(options.directory()).isEqualTo(DIRECTORY);
    assertThat(options.maxBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(options.segmentBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(options.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(options.fsyncPolicy()).isEqualTo(FsyncPolicy.interval(Duration.ofSeconds(1)));
    assertThat(options.maxRecordBytes()).isEqualTo(256 * 1024 * 1024 - 16);
  }

  @Test
  void keepsWhatTheBuilderSetAndComparesByValue() {
    DiskBufferOptions options = DiskBufferOptions.builder(DIRECTORY).maxBytes(1 << 20).segmentBytes(4096)
        .overflowPolicy(OverflowPolicy.REJECT_NEWEST).fsyncPolicy(FsyncPolicy.always()).build();

    assertThat(options.maxBytes()).isEqualTo(1 << 20);
    assertThat(options.segmentBytes()).isEqualTo(4096);
    assertThat(options.overflowPolicy()).isEqualTo(OverflowPolicy.REJECT_NEWEST);
    assertThat(options.fsyncPolicy()).isEqualTo(FsyncPolicy.always());
    assertThat(options).isEqualTo(DiskBufferOptions.builder(DIRECTORY).maxBytes(1 << 20).segmentBytes(4096)
        .overflowPolicy(OverflowPolicy.REJECT_NEWEST).fsyncPolicy(FsyncPolicy.always()).build());
    assertThat(options.toString()).contains("maxBytes=1048576", "segmentBytes=4096", "REJECT_NEWEST", "fsync=always");
  }

  @Test
  void capsTheLargestRecordAtWhatAByteArrayCanHold() {
    DiskBufferOptions options = DiskBufferOptions.builder(DIRECTORY).maxBytes(Long.MAX_VALUE).build();

    assertThat(options.maxRecordBytes()).isEqualTo(Integer.MAX_VALUE - 16);
  }

  @ParameterizedTest(name = "maxBytes={0}, segmentBytes={1}")
  @CsvSource(delimiter = '|', value = {
      "1048576 | 63    | segmentBytes must be at least 64, found 63",
      "1048576 | -1    | segmentBytes must be at least 64, found -1",
      "4095    | 4096  | maxBytes must be at least segmentBytes (4096), found 4095",
      "0       | 64    | maxBytes must be at least segmentBytes (64), found 0",
      "-5      | 64    | maxBytes must be at least segmentBytes (64), found -5"})
  void refusesSizesOutOfRangeNamingTheSettingAndWhatWasFound(long maxBytes, int segmentBytes, String message) {
    DiskBufferOptions.Builder builder = DiskBufferOptions.builder(DIRECTORY).maxBytes(maxBytes)
        .segmentBytes(segmentBytes);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void acceptsTheSmallestSizes() {
    DiskBufferOptions options = DiskBufferOptions.builder(DIRECTORY).maxBytes(64).segmentBytes(64).build();

    assertThat(options.maxRecordBytes()).isEqualTo(48);
  }

  @Test
  void refusesNullDirectoryAndPolicy() {
    assertThatThrownBy(() -> DiskBufferOptions.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("directory");
    assertThatThrownBy(() -> DiskBufferOptions.builder(DIRECTORY).overflowPolicy(null))
        .isInstanceOf(NullPointerException.class).hasMessage("overflowPolicy");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "PT0S      | fsync interval must be 1 ms to 1 h, found PT0S",
      "PT-1S     | fsync interval must be 1 ms to 1 h, found PT-1S",
      "PT0.0005S | fsync interval must be 1 ms to 1 h, found PT0.0005S",
      "PT1H0.001S | fsync interval must be 1 ms to 1 h, found PT1H0.001S"})
  void refusesAnFsyncIntervalOutOfRangeNamingWhatWasFound(Duration interval, String message) {
    assertThatThrownBy(() -> FsyncPolicy.interval(interval)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void anFsyncPolicyOtherThanIntervalHasNoInterval() {
    assertThat(new FsyncPolicy(FsyncPolicy.Mode.NEVER, Duration.ofSeconds(5))).isEqualTo(FsyncPolicy.never());
    assertThat(FsyncPolicy.always().interval()).isZero();
    assertThat(FsyncPolicy.interval(Duration.ofMillis(250))).hasToString("interval 250 ms");
  }
}
