package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import io.edgeai4j.cli.DurationConverter;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.cli.model.trt.BuildTargets;
import io.edgeai4j.nativebindings.engine.EngineCacheDir;
import io.edgeai4j.cli.model.trt.ShapeOptions;
import io.edgeai4j.cli.model.trt.TensorRtConversion;
import io.edgeai4j.nativebindings.engine.ChildProcessEngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineBuilder;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.optimize.convert.ConversionException;
import io.edgeai4j.optimize.convert.Float16Converter;
import io.edgeai4j.optimize.convert.OpsetConverter;
import io.edgeai4j.optimize.convert.OutputComparison;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model convert [--opset N] [--fp16] [--keep-io-types|--fp16-io] INPUT.onnx OUTPUT.onnx}: an opset upgrade
 * ({@link OpsetConverter}) and/or float16 ({@link Float16Converter}); the output is loaded by ONNX Runtime and run
 * beside the input on the same random rows before the command reports success. {@code --to tensorrt MODEL} builds
 * and caches a TensorRT engine instead ({@link TensorRtConversion}).
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Converts an ONNX model: --opset N upgrades the default-domain opset (refusing downgrades and any op"
        + " whose change between the two opsets it does not carry, naming the op and node); --fp16 stores the weights"
        + " in float16 and computes in float16 every node ONNX Runtime CPU has a float16 kernel for, keeping the others"
        + " in float32 with Casts around them; inputs and outputs stay float32 unless --fp16-io. OUTPUT is written only"
        + " when ONNX Runtime loads it; the largest output difference from INPUT on two random rows is printed.",
        "--to tensorrt MODEL builds a TensorRT engine of MODEL in a child process (INT8 for a QDQ model, FP16 with"
        + " --fp16, else FP32) into the engine cache, or finds it there, and prints the cache entry."})
public final class ConvertCommand implements Callable<Integer> {
  private static final int COMPARED_ROWS = 2;
  private static final long SEED = 14;

  @Spec CommandSpec spec;

  /** {@code --to}: what the model is converted to. */
  enum To { onnx, tensorrt }

  private final BuildTargets targets;
  private final Supplier<EngineBuilder> builders;

  /** The command as {@code edge} runs it: this machine's TensorRT, engines built in a child JVM. */
  public ConvertCommand() {
    this(BuildTargets.PROBE, () -> ChildProcessEngineBuilder.builder().build());
  }

  /** A command building for {@code targets} with {@code builders}' builder (tests: no GPU needed). */
  ConvertCommand(BuildTargets targets, Supplier<EngineBuilder> builders) {
    this.targets = targets;
    this.builders = builders;
  }

  @Parameters(index = "0", paramLabel = "INPUT.onnx", description = "The model to convert (MODEL with --to"
      + " tensorrt).")
  Path input;

  @Parameters(index = "1", arity = "0..1", paramLabel = "OUTPUT.onnx", description = "Where to write the converted"
      + " model (replaced when it exists; never INPUT itself). Not with --to tensorrt (see --output).")
  Path output;

  @Option(names = "--to", paramLabel = "onnx|tensorrt", defaultValue = "onnx",
      description = "onnx (the default): an ONNX model; tensorrt: a TensorRT engine in the engine cache.")
  To to;

  @Option(names = "--shapes", paramLabel = "NAME:DxD,...", description = "--to tensorrt: fixed input shapes, as"
      + " trtexec's (image:1x3x224x224,mask:1x28).")
  String shapes;

  @Option(names = "--min-shapes", paramLabel = "NAME:DxD,...", description = "--to tensorrt: the smallest shape of"
      + " each dynamic input (with --opt-shapes and --max-shapes).")
  String minShapes;

  @Option(names = "--opt-shapes", paramLabel = "NAME:DxD,...", description = "--to tensorrt: the shape TensorRT"
      + " optimizes each dynamic input for.")
  String optShapes;

  @Option(names = "--max-shapes", paramLabel = "NAME:DxD,...", description = "--to tensorrt: the largest shape of"
      + " each dynamic input.")
  String maxShapes;

  @Option(names = "--workspace", paramLabel = "MiB", description = "--to tensorrt: the builder's workspace limit in"
      + " MiB (default 1024).")
  Long workspaceMib;

  @Option(names = "--timing-cache", paramLabel = "FILE", description = "--to tensorrt: TensorRT's timing cache, read"
      + " when it exists and written after the build.")
  Path timingCache;

  @Option(names = "--engine-cache", paramLabel = "DIR", description = "--to tensorrt: the engine cache (default"
      + " $EDGEAI4J_ENGINE_CACHE, else ~/.cache/edgeai4j/engines, as the TensorRT backend).")
  Path engineCache;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "--to tensorrt: how long the build may take before the builder process is killed (default 30m).")
  Duration timeout;

  @Option(names = "--output", paramLabel = "PLAN", description = "--to tensorrt: also copy the plan to PLAN.")
  Path plan;

  @Option(names = "--opset", paramLabel = "N", description = "Upgrade the default-domain (ai.onnx) opset to N (at most"
      + " " + OpsetConverter.MAX_OPSET + ").")
  Integer opset;

  @Option(names = "--fp16", description = "Float16 weights and compute (see above); with --to tensorrt an FP16"
      + " engine (TensorRT 10; refused on TensorRT 11 and for a QDQ model).")
  boolean fp16;

  @ArgGroup(exclusive = true)
  IoTypes ioTypes;

  static final class IoTypes {
    @Option(names = "--keep-io-types", description = "With --fp16: graph inputs and outputs stay float32 (the"
        + " default).")
    boolean keep;

    @Option(names = "--fp16-io", description = "With --fp16: graph inputs and outputs become float16 too.")
    boolean float16;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (to == To.tensorrt) {
      return tensorRt(err);
    }
    List<String> engineOptions = engineOptions();
    if (!engineOptions.isEmpty()) {
      err.println("edge model convert: " + String.join(", ", engineOptions) + " appl" + (engineOptions.size() == 1
          ? "ies" : "y") + " to --to tensorrt; this is --to onnx");
      return ExitCodes.USAGE;
    }
    if (output == null) {
      err.println("edge model convert: OUTPUT.onnx is missing: --to onnx writes INPUT.onnx converted to OUTPUT.onnx");
      return ExitCodes.USAGE;
    }
    if (opset == null && !fp16) {
      err.println("edge model convert: nothing to do: give --opset N, --fp16 or both");
      return ExitCodes.USAGE;
    }
    if (ioTypes != null && !fp16) {
      err.println("edge model convert: " + (ioTypes.float16 ? "--fp16-io" : "--keep-io-types")
          + " applies to --fp16, which is not given");
      return ExitCodes.USAGE;
    }
    try {
      if (Files.exists(output) && Files.exists(input) && Files.isSameFile(input, output)) {
        err.println("edge model convert: OUTPUT.onnx is INPUT.onnx ('" + output + "'); refusing to replace the input");
        return ExitCodes.CANT_CREATE;
      }
    } catch (IOException e) {
      err.println("edge model convert: cannot compare '" + input + "' and '" + output + "': " + e);
      return ExitCodes.NO_INPUT;
    }
    OnnxMl.ModelProto source;
    try {
      source = OnnxModelFile.read(input);
      OnnxModelFile.checkLoads(input);
    } catch (ModelFileException e) {
      err.println("edge model convert: INPUT.onnx: " + e.getMessage());
      return e.getCause() instanceof NoSuchFileException ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    OnnxMl.ModelProto converted = source;
    try {
      if (opset != null) {
        long from = OpsetConverter.opset(source);
        converted = OpsetConverter.upgrade(source, opset);
        out.println("opset: " + from + " -> " + opset + (from == opset ? " (already there)" : ""));
      }
      if (fp16) {
        boolean float16Io = ioTypes != null && ioTypes.float16;
        Float16Converter.Result result = Float16Converter.convert(converted, float16Io);
        converted = result.model();
        out.println("fp16: computing in float16: " + (result.float16Ops().isEmpty() ? "none"
            : String.join(", ", result.float16Ops())) + "; kept in float32 (ONNX Runtime CPU has no float16"
            + " kernel): " + (result.keptFloat32().isEmpty() ? "none" : String.join(", ", result.keptFloat32().keySet()))
            + "; " + result.casts() + " Casts added; inputs and outputs " + (float16Io ? "float16" : "float32"));
        if (result.clamped() > 0) {
          out.println("fp16: " + result.clamped() + " weight value(s) beyond float16's range were clamped to"
              + " ±65504");
        }
      }
    } catch (ConversionException e) {
      err.println("edge model convert: '" + input + "': " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    try {
      OnnxModelFile.writeChecked(converted, output);
    } catch (ModelFileException e) {
      err.println("edge model convert: OUTPUT.onnx: " + e.getMessage());
      try {
        Files.deleteIfExists(output);
      } catch (IOException ignored) {
        // The message above says the output is not usable.
      }
      return ExitCodes.SOFTWARE;
    }
    Map<String, Double> difference;
    try {
      difference = OutputComparison.maxAbsDifference(source, converted, COMPARED_ROWS, SEED);
    } catch (OrtException | IllegalArgumentException e) {
      err.println("edge model convert: OUTPUT.onnx was written and loads, but running it beside INPUT.onnx failed: "
          + e.getMessage());
      return ExitCodes.SOFTWARE;
    }
    long before;
    long after;
    try {
      before = Files.size(input);
      after = Files.size(output);
    } catch (IOException e) {
      err.println("edge model convert: cannot read the files' sizes: " + e);
      return ExitCodes.SOFTWARE;
    }
    out.printf("wrote %s: %,d bytes (%.2fx of %,d); ONNX Runtime loads it; largest output difference from INPUT on"
        + " %d random rows: %s%n", output, after, (double) after / before, before, COMPARED_ROWS,
        difference.entrySet().stream().map(e -> e.getKey() + " " + String.format("%.3g", e.getValue()))
            .collect(Collectors.joining(", ")));
    return ExitCodes.OK;
  }

  /** The options only {@code --to tensorrt} takes, as given. */
  private List<String> engineOptions() {
    List<String> given = new ArrayList<>();
    Object[][] options = {{"--shapes", shapes}, {"--min-shapes", minShapes}, {"--opt-shapes", optShapes},
        {"--max-shapes", maxShapes}, {"--workspace", workspaceMib}, {"--timing-cache", timingCache},
        {"--engine-cache", engineCache}, {"--timeout", timeout}, {"--output", plan}};
    for (Object[] o : options) {
      if (o[1] != null) {
        given.add((String) o[0]);
      }
    }
    return given;
  }

  private int tensorRt(PrintWriter err) {
    String usage = opset != null ? "--opset is for --to onnx; a TensorRT engine is built from the model's opset"
        : ioTypes != null ? (ioTypes.float16 ? "--fp16-io" : "--keep-io-types") + " is for --to onnx; an engine's"
            + " input and output types are the model's"
        : output != null ? "--to tensorrt takes one MODEL, found a second file '" + output + "'; the engine goes to"
            + " the engine cache (copy it with --output PLAN)"
        : null;
    if (usage != null) {
      err.println("edge model convert: " + usage);
      return ExitCodes.USAGE;
    }
    List<ShapeProfile> profiles;
    try {
      profiles = ShapeOptions.parse(shapes, minShapes, optShapes, maxShapes);
    } catch (IllegalArgumentException e) {
      err.println("edge model convert: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Path cache = EngineCacheDir.resolve(engineCache, System.getenv(), Path.of(System.getProperty("user.home")));
    TensorRtConversion.Settings settings = new TensorRtConversion.Settings(input, fp16, profiles, workspaceMib,
        timingCache, cache, timeout, plan);
    return new TensorRtConversion(settings, targets, builders.get()).run(spec.commandLine().getOut(), err);
  }
}
