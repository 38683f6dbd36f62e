package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.split.HorizontalSplit;
import io.edgeai4j.optimize.split.ModelPart;
import io.edgeai4j.optimize.split.ModelSplit;
import io.edgeai4j.optimize.split.SplitException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model split MODEL --at T[,T...] [--at ...] --out DIR}: splits a model into parts that run one after
 * another ({@link HorizontalSplit}), written with {@code split.json} ({@link ModelSplit#write}).
 */
@Command(name = "split", mixinStandardHelpOptions = true,
    description = {"Splits an ONNX model into parts for partitioned inference, written into DIR as part-0.onnx,"
        + " part-1.onnx, ... (names sort in an order in which the parts can run, each taking its inputs by tensor name"
        + " from the model's inputs and the earlier parts' outputs) and split.json (the source's sha256, each part's"
        + " inputs and outputs with type and shape). Every part is loaded by ONNX Runtime before the command reports"
        + " success.",
        "--at T[,T...]: one cut, a set of tensors that separates the inputs from the outputs (every path from an input"
        + " to an output passes through one of them); a cut that does not is refused, naming a path that crosses it."
        + " Several --at are several cuts, in order from the inputs: n cuts give n + 1 parts."})
public final class SplitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file to split.")
  Path model;

  @Option(names = "--at", paramLabel = "T[,T...]", description = "A cut: tensor names, comma-separated. Repeat for"
      + " several cuts, in order from the inputs.")
  List<String> at = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the parts and"
      + " split.json (created; it must be empty).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (at.isEmpty()) {
      err.println("edge model split: nothing to do: give --at T[,T...] (one cut per --at)");
      return ExitCodes.USAGE;
    }
    List<Set<String>> cuts = new ArrayList<>();
    for (String cut : at) {
      Set<String> tensors = new LinkedHashSet<>();
      for (String t : cut.split(",", -1)) {
        if (t.isBlank()) {
          err.println("edge model split: --at '" + cut + "': an empty tensor name; expected T[,T...]");
          return ExitCodes.USAGE;
        }
        tensors.add(t.strip());
      }
      cuts.add(tensors);
    }
    OnnxMl.ModelProto proto;
    try {
      proto = OnnxModelFile.read(model);
    } catch (ModelFileException e) {
      err.println("edge model split: MODEL: " + e.getMessage());
      return e.getCause() instanceof NoSuchFileException ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERROR;
    }
    ModelSplit split;
    try {
      split = HorizontalSplit.split(proto, cuts).withSource(model);
    } catch (SplitException e) {
      err.println("edge model split: " + model.getFileName() + ": " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    } catch (ModelFileException e) {
      err.println("edge model split: MODEL: " + e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    try {
      split.write(out);
    } catch (ModelFileException e) {
      err.println("edge model split: --out: " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    }
    print(split, spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  private void print(ModelSplit split, PrintWriter w) {
    w.printf("%s split of %s into %d parts in %s%n", split.kind().name().toLowerCase(Locale.ROOT),
        model.getFileName(), split.parts().size(), out);
    for (ModelPart p : split.parts()) {
      w.printf("  %s  stage %d  %s -> %s  (%d nodes)%n", p.fileName(), p.stage(), String.join(", ", p.inputs()),
          String.join(", ", p.outputs()), p.model().getGraph().getNodeCount());
    }
    w.println("wrote " + out.resolve(ModelSplit.DESCRIPTION_FILE));
  }
}
