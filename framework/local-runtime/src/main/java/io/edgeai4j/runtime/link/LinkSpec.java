package io.edgeai4j.runtime.link;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network link between two devices, as written on the command line: {@code BANDWIDTH/LATENCY[/LOSS]}, e.g.
 * {@code 10Mbit/20ms}, {@code 1Gbit/1ms}, {@code 1Mbit/50ms/2%}.
 *
 * <ul>
 *   <li>bandwidth: a positive number with a unit {@code bit}, {@code kbit}, {@code Mbit} or {@code Gbit} (decimal
 *       multiples: 1 kbit = 1,000 bit/s; the unit is case-insensitive, {@code bps}, {@code kbps}, {@code Mbps},
 *       {@code Gbps} are read the same);
 *   <li>latency: the one-way delay, a non-negative number with a unit {@code us}, {@code ms} or {@code s};
 *   <li>loss (optional): the share of transmissions lost, {@code 0%} to {@code 99%} (default 0).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param bitsPerSecond the bandwidth, bits per second (&gt; 0)
 * @param latency the one-way propagation delay (&ge; 0)
 * @param lossRate the probability that one transmission is lost, 0 to 0.99
 */
public record LinkSpec(long bitsPerSecond, Duration latency, double lossRate) {
  private static final Pattern FORM = Pattern.compile(
      "(?<bw>[0-9]+(?:\\.[0-9]+)?)(?<bwUnit>[a-zA-Z]+)/(?<lat>[0-9]+(?:\\.[0-9]+)?)(?<latUnit>[a-zA-Z]+)"
          + "(?:/(?<loss>[0-9]+(?:\\.[0-9]+)?)%)?");
  private static final String EXPECTED =
      "expected BANDWIDTH/LATENCY[/LOSS%], e.g. 10Mbit/20ms or 1Mbit/50ms/2% (bandwidth in bit, kbit, Mbit or Gbit;"
          + " latency in us, ms or s)";

  /** Validates the fields. */
  public LinkSpec {
    if (bitsPerSecond <= 0) {
      throw new IllegalArgumentException("link bandwidth must be > 0 bit/s, found " + bitsPerSecond);
    }
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("link latency must be >= 0, found " + latency);
    }
    if (!(lossRate >= 0 && lossRate <= 0.99)) {
      throw new IllegalArgumentException("link loss must be 0% to 99%, found " + lossRate * 100 + "%");
    }
  }

  /**
   * Reads {@code BANDWIDTH/LATENCY[/LOSS%]}.
   *
   * @throws IllegalArgumentException naming what was found and what was expected
   */
  public static LinkSpec parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no link given; " + EXPECTED);
    }
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("link '" + text + "': " + EXPECTED);
    }
    double bandwidth = Double.parseDouble(m.group("bw")) * bitMultiplier(text, m.group("bwUnit"));
    long bits = Math.round(bandwidth);
    if (bits <= 0) {
      throw new IllegalArgumentException("link '" + text + "': bandwidth must be at least 1 bit/s");
    }
    double latencyNanos = Double.parseDouble(m.group("lat")) * nanosMultiplier(text, m.group("latUnit"));
    double loss = m.group("loss") == null ? 0 : Double.parseDouble(m.group("loss")) / 100;
    if (loss > 0.99) {
      throw new IllegalArgumentException("link '" + text + "': loss must be 0% to 99%, found " + m.group("loss") + "%");
    }
    return new LinkSpec(bits, Duration.ofNanos(Math.round(latencyNanos)), loss);
  }

  /** The time to put {@code bytes} on the wire at this bandwidth (no latency). */
  public Duration serializationTime(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, found " + bytes);
    }
    double nanos = bytes * 8.0 * 1e9 / bitsPerSecond;
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Serialization plus one-way latency: the time for {@code bytes} sent alone to arrive. */
  public Duration transferTime(long bytes) {
    return serializationTime(bytes).plus(latency);
  }

  /** The form {@link #parse} reads, e.g. {@code 10Mbit/20ms} or {@code 1Mbit/50ms/2%}. */
  @Override
  public String toString() {
    String bw;
    if (bitsPerSecond % 1_000_000_000L == 0) {
      bw = bitsPerSecond / 1_000_000_000L + "Gbit";
    } else if (bitsPerSecond % 1_000_000L == 0) {
      bw = bitsPerSecond / 1_000_000L + "Mbit";
    } else if (bitsPerSecond % 1_000L == 0) {
      bw = bitsPerSecond / 1_000L + "kbit";
    } else {
      bw = bitsPerSecond + "bit";
    }
    long nanos = latency.toNanos();
    String lat = nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : (nanos % 1_000 == 0 ? nanos / 1_000 + "us"
        : String.format(Locale.ROOT, "%.3fus", nanos / 1e3));
    String loss = lossRate == 0 ? "" : "/" + stripZeros(lossRate * 100) + "%";
    return bw + "/" + lat + loss;
  }

  private static String stripZeros(double v) {
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static double bitMultiplier(String text, String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "bit": case "bps": return 1;
      case "kbit": case "kbps": return 1e3;
      case "mbit": case "mbps": return 1e6;
      case "gbit": case "gbps": return 1e9;
      default:
        throw new IllegalArgumentException("link '" + text + "': unknown bandwidth unit '" + unit
            + "', expected bit, kbit, Mbit or Gbit");
    }
  }

  private static double nanosMultiplier(String text, String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "us": return 1e3;
      case "ms": return 1e6;
      case "s": return 1e9;
      default:
        throw new IllegalArgumentException("link '" + text + "': unknown latency unit '" + unit
            + "', expected us, ms or s");
    }
  }
}
