package io.edgeai4j.cli.model.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.DurationConverter;
import io.edgeai4j.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code edge model perf MODEL}: a concurrency sweep through the model server ({@link PerfSweep}), printed as a table,
 * and optionally written as JSON ({@code --json FILE}) and plotted ({@code --plot FILE.png|FILE.svg}).
 */
@Command(name = "perf", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures a model served by the model server (the inference module's path) at each concurrency"
        + " level, as Triton's perf_analyzer: one thread keeps N one-row requests outstanding; throughput, latency"
        + " p50/p90/p99, mean queue time, compute time per row and batch size per level, and beside it bare ONNX"
        + " Runtime running batches of the mean batch size back to back on one thread; then each level in trtexec's"
        + " terms (throughput qps, End-to-End Host Latency distribution)."})
public final class PerfCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code --batching on|off}. */
  enum Batching { on, off }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "A model.onnx (served with the model.json derived from it) or a version directory holding"
          + " model.onnx and, optionally, model.json.")
  Path model;

  @Option(names = "--concurrency", paramLabel = "START:END[:STEP]", defaultValue = "1:32",
      converter = RangeConverter.class,
      description = "Requests outstanding: START to END doubling (1:32 is 1,2,4,8,16,32), or linear with STEP"
          + " (1:32:8 is 1,9,17,25); a single number is one level. Default: ${DEFAULT-VALUE}.")
  ConcurrencyRange concurrency;

  @Option(names = "--batching", paramLabel = "on|off", defaultValue = "on",
      description = "Dynamic batching: on (model.json's batching, or the defaults: 32 rows, 500 us) or off (one row"
          + " per run). Default: ${DEFAULT-VALUE}.")
  Batching batching;

  @Option(names = "--instances", paramLabel = "N",
      description = "Concurrent runs of the model (1 to 64). Default: model.json's batching.instances, else 1.")
  Integer instances;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Measured time per level (and per bare run), e.g. 500ms, 10s. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Unmeasured time before each level and bare run. Default: a fifth of --duration.")
  Duration warmup;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Rows to send, in ONNX's test-data layout (test_data_set_<n>/input_<i>.pb; every row of every"
          + " set in turn, at most 4096). Default: seeded random rows of the model's input shapes.")
  Path data;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "The random rows' seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "Also writes the results as JSON to FILE.")
  Path json;

  @Option(names = "--plot", paramLabel = "FILE",
      description = "Also plots throughput and p99 latency against concurrency to FILE (.png or .svg).")
  Path plot;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "onnxruntime-cpu",
      description = "The inference backend. Default: ${DEFAULT-VALUE}.")
  String backend;

  /** Reads {@code --concurrency}. */
  static final class RangeConverter implements ITypeConverter<ConcurrencyRange> {
    @Override
    public ConcurrencyRange convert(String value) {
      try {
        return ConcurrencyRange.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PerfSettings settings;
    try {
      if (plot != null) {
        PerfPlot.Format.of(plot);
      }
      settings = new PerfSettings(model, concurrency, batching == Batching.on, Optional.ofNullable(instances),
          duration, warmup != null ? warmup : duration.dividedBy(5), Optional.ofNullable(data), seed, backend);
    } catch (IllegalArgumentException e) {
      err.println("edge model perf: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    for (Path out : new Path[] {json, plot}) {
      Path dir = out == null ? null : out.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        err.println("edge model perf: cannot write '" + out + "': its directory '" + dir + "' does not exist");
        return ExitCodes.CANT_CREATE;
      }
    }
    PerfReport report;
    try {
      report = new PerfSweep(settings, line -> err.println("edge model perf: " + line)).run();
    } catch (PerfException e) {
      err.println("edge model perf: " + e.getMessage());
      return e.exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("edge model perf: interrupted");
      return ExitCodes.SOFTWARE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(report.model() + " on " + report.backend() + ", batching "
        + (report.batching().maxBatchSize() > 1 ? "on (maxBatchSize " + report.batching().maxBatchSize()
        + ", maxQueueDelay " + report.batching().maxQueueDelay().toNanos() / 1000 + " us)" : "off")
        + ", " + report.batching().instances() + " instance(s), inputs " + report.inputs() + ", "
        + report.durationMillis() + " ms per level");
    out.print(report.table());
    out.print(report.trtexec());
    out.flush();
    try {
      if (json != null) {
        Path tmp = Files.createTempFile(json.toAbsolutePath().getParent(), ".perf-json-", ".tmp");
        try {
          Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson(JSON)) + "\n");
          Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        out.println("wrote " + json);
      }
      if (plot != null) {
        PerfPlot.write(report, plot);
        out.println("wrote " + plot);
      }
    } catch (IOException e) {
      err.println("edge model perf: cannot write the results: " + e);
      return ExitCodes.CANT_CREATE;
    }
    return ExitCodes.OK;
  }
}
