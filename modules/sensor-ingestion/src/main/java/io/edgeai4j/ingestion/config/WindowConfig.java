package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeai4j.signal.WindowSpec;

/**
 * A window over one sensor's samples, counted in samples: tumbling when {@code hop == size}, sliding
 * when {@code hop < size} (e.g. 1024 with hop 512 is 50 % overlap).
 *
 * @param size Samples per window, 2 to {@value #MAX_SIZE}.
 * @param hop Samples between the starts of two windows, 1 to {@code size}; default {@code size}.
 */
public record WindowConfig(int size, int hop) {
  /** The largest window, in samples. */
  public static final int MAX_SIZE = 65_536;

  /** Binds a window from the twin. */
  @JsonCreator
  public static WindowConfig of(@JsonProperty(value = "size", required = true) int size,
      @JsonProperty("hop") Integer hop) {
    return new WindowConfig(size, hop == null ? size : hop);
  }

  /** Validates. */
  public WindowConfig {
    if (size < 2 || size > MAX_SIZE) {
      throw new IllegalArgumentException("window size must be 2 to " + MAX_SIZE + " samples, found " + size);
    }
    if (hop < 1 || hop > size) {
      throw new IllegalArgumentException("window hop must be 1 to the window size " + size + ", found " + hop);
    }
  }

  /** The same window as the signal library's spec. */
  public WindowSpec spec() {
    return new WindowSpec(size, hop);
  }
}
