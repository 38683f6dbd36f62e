package io.edgeai4j.cli.model;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.Sha256;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edge model pack}: writes the model package of a version directory (model.onnx, model.json, golden.json when
 * present), the same bytes {@code edge model publish} uploads, for serving it from a server of one's own (then
 * {@code publish --package FILE --url URL}).
 */
@Command(name = "pack", mixinStandardHelpOptions = true,
    description = {"Writes the model package (a ZIP of model.onnx, model.json and golden.json when present) of a"
        + " model version directory and prints its size and sha256. The bytes are the same each time, and the same as"
        + " publish uploads. Refuses to overwrite a file."})
public final class PackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model-dir", required = true, paramLabel = "DIR",
      description = "The version directory: model.onnx, model.json, optional golden.json.")
  Path modelDir;

  @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "Where to write the package.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    for (String required : new String[] {ModelPackage.MODEL, ModelPackage.DESCRIPTOR}) {
      if (!Files.isRegularFile(modelDir.resolve(required))) {
        err.println("edge model pack: --model-dir: '" + modelDir + "' holds no " + required + " (expected "
            + ModelPackage.MODEL + ", " + ModelPackage.DESCRIPTOR + " and optionally " + ModelPackage.GOLDEN + ")");
        return ExitCodes.DATA_ERROR;
      }
    }
    if (Files.exists(out)) {
      err.println("edge model pack: --out: '" + out + "' exists; refusing to overwrite it");
      return ExitCodes.CANT_CREATE;
    }
    Path golden = modelDir.resolve(ModelPackage.GOLDEN);
    if (!Files.isRegularFile(golden)) {
      golden = null;
      err.println("edge model pack: warning: no " + ModelPackage.GOLDEN + " in '" + modelDir + "': devices will"
          + " activate this version after warm-up only, with no golden check");
    }
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ModelPackage.write(out, modelDir.resolve(ModelPackage.MODEL), modelDir.resolve(ModelPackage.DESCRIPTOR), golden);
      spec.commandLine().getOut().println("package: " + out + ", " + Files.size(out) + " bytes, sha256 "
          + Sha256.of(out));
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("edge model pack: --out: cannot write '" + out + "': " + e);
      return ExitCodes.CANT_CREATE;
    }
  }
}
