package io.edgeai4j.hardwaretests.tegrastats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the line format of tegrastats on Jetson Orin (JetPack 6, L4T r36): {@code RAM used/totalMB}, the GPU load
 * {@code GR3D_FREQ x%} (with or without {@code @[MHz]}), temperatures {@code name@valueC} and power rails
 * {@code VDD_NAME currentmW/averagemW}. A temperature of -256 °C or below is how tegrastats marks a sensor that is
 * off, and is left out. Stateless and thread-safe.
 */
public final class TegrastatsParser {

  private static final Pattern RAM = Pattern.compile("\\bRAM (\\d+)/(\\d+)MB");
  private static final Pattern GR3D = Pattern.compile("\\bGR3D_FREQ (\\d+)%");
  private static final Pattern TEMPERATURE =
      Pattern.compile("(?<![%\\w])([A-Za-z][A-Za-z0-9_]*)@(-?\\d+(?:\\.\\d+)?)C\\b");
  private static final Pattern RAIL = Pattern.compile("\\b(VDD_[A-Z0-9_]+) (\\d+)mW/(\\d+)(?:mW)?\\b");
  private static final double SENSOR_OFF_C = -256;

  private TegrastatsParser() {
  }

  /**
   * The sample of one line.
   *
   * @throws IllegalArgumentException when the line has no {@code RAM used/totalMB} field (not a tegrastats line)
   */
  public static TegrastatsSample parse(String line) {
    Matcher ram = RAM.matcher(line);
    if (!ram.find()) {
      throw new IllegalArgumentException("not a tegrastats line: expected 'RAM <used>/<total>MB' in \""
          + abbreviate(line) + "\"");
    }
    Map<String, TegrastatsSample.Rail> rails = new LinkedHashMap<>();
    Matcher rail = RAIL.matcher(line);
    while (rail.find()) {
      rails.put(rail.group(1), new TegrastatsSample.Rail(Long.parseLong(rail.group(2)),
          Long.parseLong(rail.group(3))));
    }
    Map<String, Double> temperatures = new LinkedHashMap<>();
    Matcher t = TEMPERATURE.matcher(line);
    while (t.find()) {
      double celsius = Double.parseDouble(t.group(2));
      if (celsius > SENSOR_OFF_C) {
        temperatures.put(t.group(1), celsius);
      }
    }
    Matcher gpu = GR3D.matcher(line);
    OptionalInt load = gpu.find() ? OptionalInt.of(Integer.parseInt(gpu.group(1))) : OptionalInt.empty();
    return new TegrastatsSample(rails, temperatures, Long.parseLong(ram.group(1)), Long.parseLong(ram.group(2)),
        load);
  }

  private static String abbreviate(String line) {
    return line.length() <= 120 ? line : line.substring(0, 120) + "...";
  }
}
