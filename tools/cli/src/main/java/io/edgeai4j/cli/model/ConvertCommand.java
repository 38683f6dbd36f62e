package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import io.edgeai4j.cli.ExitCodes;
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
import java.util.Map;
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
 * beside the input on the same random rows before the command reports success.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Converts an ONNX model: --opset N upgrades the default-domain opset (refusing downgrades and any op"
        + " whose change between the two opsets it does not carry, naming the op and node); --fp16 stores the weights"
        + " in float16 and computes in float16 every node ONNX Runtime CPU has a float16 kernel for, keeping the others"
        + " in float32 with Casts around them; inputs and outputs stay float32 unless --fp16-io. OUTPUT is written only"
        + " when ONNX Runtime loads it; the largest output difference from INPUT on two random rows is printed."})
public final class ConvertCommand implements Callable<Integer> {
  private static final int COMPARED_ROWS = 2;
  private static final long SEED = 14;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT.onnx", description = "The model to convert.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUTPUT.onnx", description = "Where to write the converted model (replaced"
      + " when it exists; never INPUT itself).")
  Path output;

  @Option(names = "--opset", paramLabel = "N", description = "Upgrade the default-domain (ai.onnx) opset to N (at most"
      + " " + OpsetConverter.MAX_OPSET + ").")
  Integer opset;

  @Option(names = "--fp16", description = "Float16 weights and compute (see above).")
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
}
