package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.cli.model.partition.MeasureOptions;
import io.edgeai4j.cli.model.partition.MeasurementException;
import io.edgeai4j.cli.model.partition.MeasurementPlot;
import io.edgeai4j.cli.model.partition.MeasurementReport;
import io.edgeai4j.cli.model.partition.PartitionDeployment;
import io.edgeai4j.cli.model.partition.PartitionMeasurement;
import io.edgeai4j.cli.model.partition.PlanArguments;
import io.edgeai4j.cli.model.partition.PlanReport;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.partition.ActivationEncoding;
import io.edgeai4j.optimize.partition.Objective;
import io.edgeai4j.optimize.partition.PartitionException;
import io.edgeai4j.optimize.partition.Plan;
import io.edgeai4j.optimize.partition.Planner;
import io.edgeai4j.optimize.partition.Profiler;
import io.edgeai4j.optimize.split.SplitException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model plan MODEL --profile device=A.json --profile edge=B.json --link device-edge=10Mbit/20ms}: where to
 * cut a model between device, edge and cloud ({@link Planner}).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Plans partitioned inference: from a profile of the model on each tier (edge model profile) and"
        + " the links between them, predicts for every candidate cut the compute on each tier, the serialization"
        + " (measured encode and decode cost of the activations) and the transfer (bytes × 8 / bandwidth + latency,"
        + " bytes = payload + 512 B per chunk of at most 262,143 B) and the end-to-end total, and chooses the best:"
        + " exhaustive over the cuts of a chain (pairs of cuts for three tiers), the prefix cuts of a topological"
        + " order and the DADS min-cut on a DAG."})
public final class PlanCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file the profiles were taken of.")
  Path model;

  @Option(names = "--profile", required = true, paramLabel = "TIER=PROFILE.json",
      description = "A tier's profile: device, edge and optionally cloud (two or three; upstream in that order).")
  Map<String, Path> profiles = new LinkedHashMap<>();

  @Option(names = "--link", required = true, paramLabel = "LOWER-UPPER=SPEC",
      description = "The link between adjacent tiers, BANDWIDTH/LATENCY[/LOSS%%] as edge run reads it, e.g."
          + " device-edge=10Mbit/20ms (loss is not planned for).")
  Map<String, String> links = new LinkedHashMap<>();

  @Option(names = "--objective", paramLabel = "latency|throughput", defaultValue = "latency",
      description = "latency: one request's end-to-end time; throughput: the slowest stage, i.e. the most requests/s"
          + " (default ${DEFAULT-VALUE}).")
  String objective;

  @Option(names = "--activations", paramLabel = "float32|float16|int8", defaultValue = "float32",
      description = "How activations cross a link (default ${DEFAULT-VALUE}).")
  String activations;

  @Option(names = "--json", description = "Print the plan as JSON instead of the table.")
  boolean json;

  @Option(names = "--manifest", paramLabel = "DIR",
      description = "Also write the chosen plan's deployment into DIR (empty or new): per tier a model repository"
          + " DIR/<tier>/<model>-part-<i>/1/{model.onnx,model.json} and a deployment manifest DIR/<tier>.json, and"
          + " the plan as DIR/plan.json.")
  Path manifest;

  @Option(names = "--model-json", paramLabel = "FILE",
      description = "The unsplit model's model.json (name, labels, windowInput/featureInput for the parts);"
          + " default: the model.json beside MODEL, if any.")
  Path modelJson;

  @Option(names = "--measure", paramLabel = "N",
      description = "Also measure every candidate (on a DAG: the prefix cuts and the min-cut): deploy it as"
          + " --manifest does into a temporary directory, run the tiers as a device hierarchy (edge run --device"
          + " ... --link ...) with the plan's emulated links, send N requests from --data to the lowest tier's"
          + " inference module (one at a time; back to back for --objective throughput) and time each until its"
          + " answer reaches the top tier; every answer is checked against the unsplit model's.")
  Integer measure;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "5",
      description = "With --measure: requests sent to each candidate before the measured ones, not counted"
          + " (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--data", paramLabel = "DIR",
      description = "With --measure: the requests' inputs in ONNX's test-data layout (test_data_set_<n>/input_<i>.pb,"
          + " e.g. from edge model dataset), one request per row, taken in turn.")
  Path data;

  @Option(names = "--plot", paramLabel = "FILE.png",
      description = "With --measure: draw measured against predicted latency, one point per candidate, and y = x.")
  Path plot;

  @Option(names = "--measure-json", paramLabel = "FILE",
      description = "With --measure: also write the measurements as JSON.")
  Path measureJson;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Objective goal;
    ActivationEncoding encoding;
    MeasureOptions measureOptions;
    try {
      goal = objective(objective);
      encoding = ActivationEncoding.parse(activations);
      measureOptions = measureOptions();
    } catch (IllegalArgumentException e) {
      err.println("edge model plan: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    OnnxMl.ModelProto proto;
    String sha256;
    try {
      proto = OnnxModelFile.read(model);
      sha256 = Profiler.sha256(model);
    } catch (ModelFileException e) {
      err.println("edge model plan: MODEL: " + e.getMessage());
      return e.getCause() instanceof NoSuchFileException ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERROR;
    } catch (IOException e) {
      err.println("edge model plan: MODEL: " + model + ": cannot be read: " + e);
      return ExitCodes.NO_INPUT;
    }
    Plan plan;
    Map<String, Integer> threads = new LinkedHashMap<>();
    try {
      PlanArguments.Parsed parsed = PlanArguments.parse(profiles, links);
      plan = Planner.plan(proto, sha256, parsed.tiers(), parsed.links(), goal, encoding);
      parsed.tiers().forEach(t -> threads.put(t.name(), t.profile().machine().threads()));
    } catch (PartitionException e) {
      err.println("edge model plan: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(PlanReport.json(plan));
      } catch (JsonProcessingException e) {
        err.println("edge model plan: cannot write the plan as JSON: " + e.getMessage());
        return ExitCodes.SOFTWARE;
      }
    } else {
      PlanReport.print(plan, out);
    }
    if (manifest == null && measureOptions == null) {
      return ExitCodes.OK;
    }
    PrintWriter report = json ? err : out;
    Original original = original(err);
    if (original.exitCode() != ExitCodes.OK) {
      return original.exitCode();
    }
    if (manifest != null) {
      int code = deploy(plan, threads, proto, original, err, report);
      if (code != ExitCodes.OK) {
        return code;
      }
    }
    return measureOptions == null ? ExitCodes.OK : measure(plan, threads, proto, original, measureOptions, err,
        report);
  }

  /** The unsplit model's model.json (or none) and its name; a non-OK exit code when it cannot be read. */
  private record Original(JsonNode json, String name, int exitCode) {}

  private Original original(PrintWriter err) {
    Path descriptor = modelJson != null ? modelJson : model.toAbsolutePath().resolveSibling("model.json");
    JsonNode original = null;
    if (modelJson != null || Files.isRegularFile(descriptor)) {
      try {
        original = JSON.readTree(descriptor.toFile());
      } catch (IOException e) {
        err.println("edge model plan: --model-json " + descriptor + ": cannot be read as JSON: " + e.getMessage());
        return new Original(null, null, modelJson != null && !Files.exists(modelJson) ? ExitCodes.NO_INPUT
            : ExitCodes.DATA_ERROR);
      }
    }
    String stem = model.getFileName().toString().replaceFirst("\\.onnx$", "");
    String name = original != null && original.hasNonNull("name") ? original.get("name").asText() : stem;
    return new Original(original, name, ExitCodes.OK);
  }

  private int deploy(Plan plan, Map<String, Integer> threads, OnnxMl.ModelProto proto, Original original,
      PrintWriter err, PrintWriter out) {
    PartitionDeployment.Written written;
    try {
      written = PartitionDeployment.write(manifest, plan, threads, proto, original.name(), original.json());
      Files.writeString(manifest.resolve("plan.json"), PlanReport.json(plan) + "\n");
    } catch (SplitException e) {
      err.println("edge model plan: --manifest: the split refuses the chosen cut: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    } catch (IOException e) {
      err.println("edge model plan: --manifest: " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    }
    out.println();
    written.models().forEach(m -> out.println("wrote " + m + " (and model.json)"));
    written.manifests().forEach(m -> out.println("wrote " + m));
    out.println("wrote " + manifest.resolve("plan.json"));
    return ExitCodes.OK;
  }

  /** The --measure options checked together; null without --measure. */
  private MeasureOptions measureOptions() {
    if (measure == null) {
      String alone = data != null ? "--data" : plot != null ? "--plot" : measureJson != null ? "--measure-json" : null;
      if (alone != null) {
        throw new IllegalArgumentException(alone + " is for --measure N; give --measure too");
      }
      return null;
    }
    if (data == null) {
      throw new IllegalArgumentException("--measure " + measure + " needs --data DIR: the requests' inputs"
          + " (test_data_set_<n>/input_<i>.pb, e.g. from edge model dataset)");
    }
    if (plot != null && !plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new IllegalArgumentException("--plot " + plot + ": expected a .png file");
    }
    return new MeasureOptions(measure, warmup, data, Duration.ofSeconds(120), Duration.ofSeconds(60));
  }

  private int measure(Plan plan, Map<String, Integer> threads, OnnxMl.ModelProto proto, Original original,
      MeasureOptions options, PrintWriter err, PrintWriter out) {
    if (!Files.isDirectory(options.data())) {
      err.println("edge model plan: --data " + options.data() + ": no such directory");
      return ExitCodes.NO_INPUT;
    }
    MeasurementReport report;
    try {
      report = PartitionMeasurement.measure(plan, threads, proto, original.name(), original.json(), options, err);
    } catch (MeasurementException e) {
      err.println("edge model plan: --measure: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    report.print(out);
    try {
      if (measureJson != null) {
        Files.writeString(measureJson, report.json() + "\n");
        out.println("wrote " + measureJson);
      }
      if (plot != null) {
        MeasurementPlot.write(report, plot);
        out.println("wrote " + plot);
      }
    } catch (IOException e) {
      err.println("edge model plan: cannot write the measurement: " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    }
    return ExitCodes.OK;
  }

  private static Objective objective(String text) {
    for (Objective o : Objective.values()) {
      if (o.label().equals(text.toLowerCase(Locale.ROOT))) {
        return o;
      }
    }
    throw new IllegalArgumentException("--objective '" + text + "': expected latency or throughput");
  }
}
