package io.edgeai4j.signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A frequency band {@code [lowHz, highHz)} whose spectral energy is a feature. A band whose {@code highHz} is
 * the Nyquist frequency also takes the Nyquist bin. Immutable; thread-safe.
 *
 * @param name The feature's name: non-empty and usable as a module-twin key (no {@code .}, {@code $}, space
 *     or control character; at most {@value #MAX_NAME_BYTES} bytes of UTF-8).
 * @param lowHz The lower edge, inclusive, finite and at least 0.
 * @param highHz The upper edge, exclusive, finite and above {@code lowHz}.
 */
public record FrequencyBand(String name, double lowHz, double highHz) {
  /** The longest name, as Azure IoT limits twin keys. */
  public static final int MAX_NAME_BYTES = 1024;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException If a value is out of range; the message names the band and the value.
   */
  public FrequencyBand {
    checkName(name);
    if (!(lowHz >= 0) || Double.isInfinite(lowHz)) {
      throw new IllegalArgumentException("band '" + name + "': lowHz must be a finite number >= 0, found " + lowHz);
    }
    if (!(highHz > lowHz) || Double.isInfinite(highHz)) {
      throw new IllegalArgumentException("band '" + name + "': highHz must be a finite number above lowHz " + lowHz
          + ", found " + highHz);
    }
  }

  /**
   * Splits 0 Hz to the Nyquist frequency ({@code sampleRateHz / 2}) into {@code count} bands of equal width,
   * named {@code band0} (lowest) to {@code band<count-1>}; together they cover every FFT bin once.
   *
   * @throws IllegalArgumentException If count is below 1 or the sample rate is not a positive finite number.
   */
  public static List<FrequencyBand> equalWidth(int count, double sampleRateHz) {
    if (count < 1) {
      throw new IllegalArgumentException("band count must be at least 1, found " + count);
    }
    if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
      throw new IllegalArgumentException("sampleRateHz must be a positive finite number for equal-width bands, found "
          + sampleRateHz);
    }
    double nyquistHz = sampleRateHz / 2;
    List<FrequencyBand> bands = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double high = i == count - 1 ? nyquistHz : nyquistHz * (i + 1) / count;
      bands.add(new FrequencyBand("band" + i, nyquistHz * i / count, high));
    }
    return List.copyOf(bands);
  }

  /** The band's width in Hz. */
  public double widthHz() {
    return highHz - lowHz;
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "band name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("band name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '$' || c == ' ' || Character.isISOControl(c)) {
        throw new IllegalArgumentException("band name '" + name.replaceAll("\\p{Cntrl}", "?")
            + "' is not a twin key: it must not contain '.', '$', space or control characters, found "
            + describe(c) + " at index " + i);
      }
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("band name must be at most " + MAX_NAME_BYTES + " bytes of UTF-8, found "
          + bytes);
    }
  }

  private static String describe(char c) {
    return Character.isISOControl(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }
}
