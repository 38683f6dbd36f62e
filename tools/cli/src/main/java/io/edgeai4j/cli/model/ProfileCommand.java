package io.edgeai4j.cli.model;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.partition.ModelProfile;
import io.edgeai4j.optimize.partition.PartitionException;
import io.edgeai4j.optimize.partition.ProfileJson;
import io.edgeai4j.optimize.partition.ProfileOptions;
import io.edgeai4j.optimize.partition.Profiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge model profile MODEL --data DIR --out PROFILE.json}: per-node latency and tensor sizes ({@link Profiler}). */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = {"Measures a model on this machine for edge model plan: each node's kernel time (mean, median,"
        + " standard deviation over --runs runs of one row, after 5 warm-up runs that are not counted) with ONNX"
        + " Runtime's profiler, graph optimization off so that every timed kernel is one of the model's nodes; the"
        + " type, shape and bytes of every tensor for one row; the cost of encoding activations as float32, float16"
        + " and int8; the machine (CPU, cores, OS, ONNX Runtime, threads). Take one profile on each machine."})
public final class ProfileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Inputs in ONNX's test-data layout (test_data_set_<n>/input_<i>.pb, e.g. from edge model dataset);"
          + " each run takes the next row.")
  Path data;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
      description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "50",
      description = "Measured runs (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--out", required = true, paramLabel = "PROFILE.json", description = "Where to write the profile.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ProfileOptions options;
    try {
      options = new ProfileOptions(threads, runs, ProfileOptions.DEFAULTS.warmupRuns());
    } catch (IllegalArgumentException e) {
      err.println("edge model profile: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ModelProfile profile;
    try {
      profile = Profiler.profile(model, data, options);
    } catch (PartitionException e) {
      err.println("edge model profile: " + e.getMessage());
      return e.getMessage().contains("no such file") || e.getMessage().contains("no such directory")
          ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERROR;
    }
    try {
      ProfileJson.write(profile, out);
    } catch (IOException e) {
      err.println("edge model profile: --out: cannot write '" + out + "': " + e);
      return ExitCodes.CANT_CREATE;
    }
    PrintWriter o = spec.commandLine().getOut();
    double total = profile.nodes().stream().mapToDouble(ModelProfile.NodeTiming::p50Micros).sum();
    o.printf("model:    %s (sha256 %s)%n", profile.model(), profile.sha256());
    o.printf("machine:  %s, %d cores, %s, ONNX Runtime %s, %d thread(s)%n", profile.machine().cpu(),
        profile.machine().cores(), profile.machine().os(), profile.machine().onnxRuntime(),
        profile.machine().threads());
    o.printf("runs:     %d measured after %d warm-up, graph optimization %s%n", profile.runs(),
        profile.warmupRuns(), profile.graphOptimization());
    o.printf("nodes:    %d, sum of medians %.3f ms (what edge model plan adds up); slowest:%n",
        profile.nodes().size(), total / 1e3);
    profile.nodes().stream().sorted(Comparator.comparingDouble(ModelProfile.NodeTiming::p50Micros).reversed())
        .limit(5).forEach(n -> o.printf("  %-30s %-16s p50 %10.1f µs (mean %.1f, sd %.1f)%n", n.name(),
            n.opType(), n.p50Micros(), n.meanMicros(), n.stddevMicros()));
    o.printf("tensors:  %d%n", profile.tensors().size());
    o.println("wrote " + out);
    return ExitCodes.OK;
  }
}
