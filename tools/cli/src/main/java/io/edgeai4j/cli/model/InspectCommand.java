package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.inspect.ModelInspector;
import io.edgeai4j.optimize.inspect.ModelReport;
import io.edgeai4j.optimize.onnx.ModelFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge model inspect MODEL}: what an ONNX model holds and what it costs to run ({@link ModelInspector}). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Shows an ONNX model's opsets, inputs and outputs with their shapes, op histogram, parameter count,"
        + " file size, whether it is quantized (QuantizeLinear/DequantizeLinear/QLinear*/*Integer nodes, counted),"
        + " and estimated MACs and FLOPs per row in total (per node with --per-node). Intermediate shapes come from"
        + " one ONNX Runtime run on zero inputs with open dimensions set to 1; ops without a formula are named as not"
        + " counted."})
public final class InspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
  Path model;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report, per-node costs included, as"
      + " JSON to FILE.")
  Path json;

  @Option(names = "--per-node", description = "Also print a table of every node: op, output shape, MACs, FLOPs.")
  boolean perNode;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ModelReport report;
    try {
      report = ModelInspector.inspect(model);
    } catch (ModelFileException e) {
      err.println("edge model inspect: MODEL: " + e.getMessage());
      return e.getCause() instanceof NoSuchFileException ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    print(report, out, perNode);
    if (json != null) {
      try {
        Path parent = json.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
      } catch (IOException e) {
        err.println("edge model inspect: --json: cannot write '" + json + "': " + e);
        return ExitCodes.CANT_CREATE;
      }
      out.println("wrote " + json);
    }
    return ExitCodes.OK;
  }

  static void print(ModelReport r, PrintWriter out, boolean perNode) {
    out.printf("model:       %s (%,d bytes)%n", r.file(), r.sizeBytes());
    out.printf("opsets:      IR %d; %s%n", r.irVersion(), r.opsets().entrySet().stream()
        .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
        .collect(Collectors.joining(", ")));
    r.inputs().forEach(t -> out.printf("input:       %s %s %s%n", t.name(), t.elementType(), t.shape()));
    r.outputs().forEach(t -> out.printf("output:      %s %s %s%n", t.name(), t.elementType(), t.shape()));
    out.printf("parameters:  %,d%n", r.parameters());
    out.printf("quantized:   %s%n", r.quantized() ? "yes (" + counts(r.quantizationOps()) + ")" : "no");
    out.printf("ops:         %d nodes: %s%n", r.nodes().size(), counts(r.opHistogram()));
    out.printf("MACs:        %,d per row%n", r.totalMacs());
    out.printf("FLOPs:       %,d per row%n", r.totalFlops());
    if (!r.notCounted().isEmpty()) {
      out.printf("not counted: %s (no formula: they add 0 to the totals)%n", String.join(", ", r.notCounted()));
    }
    out.printf("shapes:      %s%n", r.shapeSource());
    if (perNode) {
      int width = Math.max(4, r.nodes().stream().mapToInt(n -> n.name().length()).max().orElse(4));
      out.printf("%n%-" + width + "s  %-20s  %-20s  %15s  %15s%n", "node", "op", "output shape", "MACs", "FLOPs");
      for (ModelReport.NodeCost n : r.nodes()) {
        out.printf("%-" + width + "s  %-20s  %-20s  %15s  %15s%n", n.name(), n.opType(), n.outputShape(),
            n.counted() ? String.format("%,d", n.macs()) : "not counted",
            n.counted() ? String.format("%,d", n.flops()) : "not counted");
      }
    }
  }

  private static String counts(Map<String, Integer> histogram) {
    return histogram.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
