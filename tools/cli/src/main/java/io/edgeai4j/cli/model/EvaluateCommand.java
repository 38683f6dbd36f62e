package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.evaluate.EvaluationException;
import io.edgeai4j.optimize.evaluate.EvaluationOptions;
import io.edgeai4j.optimize.evaluate.EvaluationReport;
import io.edgeai4j.optimize.evaluate.Latency;
import io.edgeai4j.optimize.evaluate.ModelEvaluator;
import io.edgeai4j.optimize.evaluate.ModelResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edge model evaluate --reference A.onnx --candidate B.onnx --data DIR}: accuracy, agreement, output error,
 * file size and latency of a candidate model (quantized, converted) beside its reference, measured in one run
 * ({@link ModelEvaluator}); a table on the terminal and, with {@code --json FILE}, the same figures as JSON.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Runs both models with ONNX Runtime CPU on every set of DIR (ONNX's test-data layout, as"
        + " 'edge model dataset' writes it) and prints: top-1 and top-k accuracy of each against labels.pb (omitted,"
        + " and said so, unless every set has labels), agreement of their top-1 classes, max and mean absolute"
        + " difference of their first outputs, file sizes, and batch-1 latency (1 intra-op thread, runs of the two"
        + " models interleaved; mean, p50, p99)."})
public final class EvaluateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--reference", required = true, paramLabel = "A.onnx", description = "The model compared against.")
  Path reference;

  @Option(names = "--candidate", required = true, paramLabel = "B.onnx",
      description = "The model evaluated (e.g. quantized or converted from the reference).")
  Path candidate;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "DIR/test_data_set_<n>/input_<i>.pb in the models' input order, labels.pb for accuracy.")
  Path data;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "5",
      description = "The k of top-k accuracy. Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "200",
      description = "Timed batch-1 runs of each model. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "20",
      description = "Untimed batch-1 runs of each model before them. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to FILE as JSON (replaced).")
  Path json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    EvaluationOptions options;
    try {
      options = new EvaluationOptions(topK, runs, warmup);
    } catch (IllegalArgumentException e) {
      err.println("edge model evaluate: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    for (Path model : new Path[] {reference, candidate}) {
      if (!Files.isRegularFile(model)) {
        err.println("edge model evaluate: '" + model + "': no such model file");
        return ExitCodes.NO_INPUT;
      }
    }
    if (!Files.isDirectory(data)) {
      err.println("edge model evaluate: --data '" + data + "': no such directory");
      return ExitCodes.NO_INPUT;
    }
    EvaluationReport report;
    try {
      report = ModelEvaluator.evaluate(reference, candidate, data, options);
    } catch (DataSetException | EvaluationException e) {
      err.println("edge model evaluate: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(report.table());
    out.flush();
    if (json != null) {
      try {
        Path parent = json.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(report)) + "\n");
      } catch (IOException e) {
        err.println("edge model evaluate: cannot write --json '" + json + "': " + e);
        return ExitCodes.CANT_CREATE;
      }
    }
    return ExitCodes.OK;
  }

  static ObjectNode toJson(EvaluationReport r) {
    ObjectNode root = JSON.createObjectNode();
    root.set("reference", model(r.reference()));
    root.set("candidate", model(r.candidate()));
    root.put("topK", r.topK());
    root.put("sets", r.sets());
    root.put("rows", r.rows());
    root.put("outputsPerRow", r.classes());
    if (r.accuracyOmitted().isPresent()) {
      root.put("accuracyOmitted", r.accuracyOmitted().get());
    } else {
      root.putNull("accuracyOmitted");
    }
    root.put("agreement", r.agreement());
    root.put("maxAbsError", r.maxAbsError());
    root.put("meanAbsError", r.meanAbsError());
    ObjectNode latency = root.putObject("latencyConditions");
    latency.put("backend", "onnxruntime-cpu");
    latency.put("batch", 1);
    latency.put("intraOpThreads", 1);
    latency.put("interleaved", true);
    latency.put("runs", r.reference().latency().runs());
    return root;
  }

  private static ObjectNode model(ModelResult m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("file", m.file().toString());
    node.put("bytes", m.fileBytes());
    number(node, "top1", m.top1());
    number(node, "topK", m.topK());
    Latency l = m.latency();
    ObjectNode latency = node.putObject("latencyMs");
    latency.put("runs", l.runs());
    latency.put("mean", l.meanMs());
    latency.put("p50", l.p50Ms());
    latency.put("p99", l.p99Ms());
    return node;
  }

  private static void number(ObjectNode node, String name, OptionalDouble v) {
    if (v.isPresent()) {
      node.put(name, v.getAsDouble());
    } else {
      node.putNull(name);
    }
  }
}
