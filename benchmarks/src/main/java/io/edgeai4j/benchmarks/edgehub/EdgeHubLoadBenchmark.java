package io.edgeai4j.benchmarks.edgehub;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * N modules × M messages through the edgeHub-compatible endpoint, for each {@code --mode}: throughput,
 * end-to-end latency percentiles and loss, as the mean and standard deviation over {@code --runs} runs after
 * {@code --warmup} discarded ones. Not a JMH benchmark: a run is one experiment with 2N clients, whose outputs
 * are a throughput, three percentiles over N × M messages and a loss count; JMH would time the run as one
 * operation and has no place for the rest. Exits 1 if any run lost or duplicated a message or had a send refused.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.edgeai4j.benchmarks.edgehub.EdgeHubLoadBenchmark \
 *     --mode sdk,sdk-fast,azure-iot-edge,edgehub-mqtt,edgehub-mqtt-async --pairs 4 --messages 2000 --runs 3
 * </pre>
 *
 * <p>The endpoint binds {@code 127.0.0.1:8883}, the port the SDK always uses: run it where that port is free, or
 * in a network namespace of its own ({@code unshare --map-root-user --net sh -c 'ip link set lo up && exec java
 * ...'}).
 */
public final class EdgeHubLoadBenchmark {
  private EdgeHubLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Arguments.USAGE);
      System.exit(2);
      return;
    }
    boolean clean = run(arguments, System.out);
    System.exit(clean ? 0 : 1);
  }

  /** Runs every mode; returns whether every measured run delivered every message exactly once. */
  static boolean run(Arguments arguments, PrintStream out) throws Exception {
    boolean clean = true;
    List<String> summary = new ArrayList<>();
    for (LoadMode mode : arguments.modes()) {
      LoadSettings settings = arguments.settings().withMode(mode);
      List<LoadResult> results = new ArrayList<>();
      for (int run = -arguments.warmup(); run < arguments.runs(); run++) {
        Path directory = Files.createTempDirectory("edgehub-load-");
        try {
          LoadResult result = EdgeHubLoad.run(settings, directory, out);
          out.println((run < 0 ? "warm-up " : "run " + (run + 1) + " ") + result);
          if (run >= 0) {
            results.add(result);
            clean &= result.exactlyOnce();
          }
        } finally {
          deleteTree(directory);
        }
      }
      summary.add(summarize(results));
    }
    out.println();
    out.println("| mode | N x M | msg/s | p50 ms | p95 ms | p99 ms | lost | duplicates | send failures |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    summary.forEach(out::println);
    return clean;
  }

  private static String summarize(List<LoadResult> results) {
    LoadSettings s = results.get(0).settings();
    return String.format(Locale.ROOT, "| %s | %d x %d | %s | %s | %s | %s | %d | %d | %d |",
        s.mode().label(), s.pairs(), s.messages(),
        meanSd(results, LoadResult::throughput, 1, "%.0f"),
        meanSd(results, r -> r.p50Micros(), 1000, "%.1f"),
        meanSd(results, r -> r.p95Micros(), 1000, "%.1f"),
        meanSd(results, r -> r.p99Micros(), 1000, "%.1f"),
        results.stream().mapToLong(LoadResult::lost).sum(),
        results.stream().mapToLong(LoadResult::duplicates).sum(),
        results.stream().mapToLong(LoadResult::sendFailures).sum());
  }

  /** "mean ± sample standard deviation" of a figure, divided by {@code scale}. */
  static String meanSd(List<LoadResult> results, ToDoubleFunction<LoadResult> figure, double scale, String format) {
    double[] values = results.stream().mapToDouble(figure).map(v -> v / scale).toArray();
    double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
    double sd = 0;
    if (values.length > 1) {
      double squares = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
      sd = Math.sqrt(squares / (values.length - 1));
    }
    return String.format(Locale.ROOT, format + " ± " + format, mean, sd);
  }

  private static void deleteTree(Path directory) throws java.io.IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The command line, validated. */
  record Arguments(List<LoadMode> modes, LoadSettings settings, int runs, int warmup) {
    static final String USAGE = "options: --mode sdk,sdk-fast,azure-iot-edge,edgehub-mqtt,edgehub-mqtt-async"
        + " --pairs N (4) --messages M (2000) --payload BYTES (100) --window W (100)"
        + " --sdk-messages-per-interval K (1000) --sdk-receive-interval MS (10) --runs R (3) --warmup W (1) --idle-timeout SECONDS (30)";

    Arguments {
      if (runs < 1) {
        throw new IllegalArgumentException("--runs must be at least 1, found " + runs);
      }
      if (warmup < 0) {
        throw new IllegalArgumentException("--warmup must not be negative, found " + warmup);
      }
      modes = List.copyOf(modes);
    }

    static Arguments parse(String... args) {
      List<LoadMode> modes = List.of(LoadMode.values());
      int pairs = 4;
      int messages = 2000;
      int payload = 100;
      int window = 100;
      int perInterval = 1000;
      int receiveInterval = 10;
      int runs = 3;
      int warmup = 1;
      int idleSeconds = 30;
      for (int i = 0; i < args.length; i += 2) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args[i + 1];
        switch (name) {
          case "--mode" -> modes = Stream.of(value.split(",")).map(LoadMode::parse).toList();
          case "--pairs" -> pairs = integer(name, value);
          case "--messages" -> messages = integer(name, value);
          case "--payload" -> payload = integer(name, value);
          case "--window" -> window = integer(name, value);
          case "--sdk-messages-per-interval" -> perInterval = integer(name, value);
          case "--sdk-receive-interval" -> receiveInterval = integer(name, value);
          case "--runs" -> runs = integer(name, value);
          case "--warmup" -> warmup = integer(name, value);
          case "--idle-timeout" -> idleSeconds = integer(name, value);
          default -> throw new IllegalArgumentException("Unknown option '" + name + "'");
        }
      }
      LoadSettings settings = new LoadSettings(modes.get(0), pairs, messages, payload, window, perInterval,
          receiveInterval, Duration.ofSeconds(idleSeconds));
      return new Arguments(modes, settings, runs, warmup);
    }

    private static int integer(String name, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " takes a whole number, found '" + value + "'");
      }
    }
  }
}
