package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.serving.ModelDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model init DIR}: writes the {@code model.json} the inference module derives for a version directory
 * that holds only {@code model.onnx} ({@link ModelDescriptor#derive}), for the user to edit: labels, a feature input,
 * batching, golden samples beside it. The model is loaded by the ONNX Runtime CPU backend, as the module would.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Writes DIR/model.json as the inference module derives it from DIR/model.onnx: inputs and outputs"
        + " with their types and shapes, dynamic batching when the first dimension of every input and output is open,"
        + " warm-up. Edit it to add labels, a feature input or other batching. Refuses to overwrite a model.json."})
public final class InitCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR",
      description = "A version directory holding model.onnx, e.g. model-repository/my-model/1.")
  Path dir;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The model's name. Default: the folder above DIR when DIR is a version number, else DIR's name.")
  String name;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "onnxruntime-cpu",
      description = "The inference backend that reads the model. Default: ${DEFAULT-VALUE}.")
  String backendName;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Path onnx = dir.resolve("model.onnx");
    Path modelJson = dir.resolve("model.json");
    if (!Files.isRegularFile(onnx)) {
      err.println("edge model init: DIR: '" + dir + "' holds no model.onnx");
      return ExitCodes.NO_INPUT;
    }
    if (Files.exists(modelJson)) {
      err.println("edge model init: '" + modelJson + "' exists; refusing to overwrite it");
      return ExitCodes.CANT_CREATE;
    }
    String modelName = name != null ? name : defaultName(dir.toAbsolutePath().normalize());
    ModelDescriptor derived;
    try (InferenceBackend backend = Backends.select(backendName, Backends.probeAll()).provider()
            .open(BackendOptions.DEFAULT);
        LoadedModel loaded = backend.load(onnx, List.of())) {
      derived = ModelDescriptor.derive(modelName, loaded.inputs(), loaded.outputs());
    } catch (BackendException | IllegalArgumentException e) {
      err.println("edge model init: '" + onnx + "': " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    try {
      Files.writeString(modelJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(derived.toJson()) + "\n");
    } catch (IOException e) {
      err.println("edge model init: cannot write '" + modelJson + "': " + e);
      return ExitCodes.CANT_CREATE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("wrote " + modelJson + ": inputs " + derived.inputs() + ", outputs " + derived.outputs()
        + ", batching " + (derived.batching().maxBatchSize() > 1 ? "on (maxBatchSize "
        + derived.batching().maxBatchSize() + ")" : "off (the first dimension is not open everywhere)"));
    return ExitCodes.OK;
  }

  /** {@code repo/my-model/1} is model {@code my-model}; {@code models/my-model} is {@code my-model}. */
  static String defaultName(Path dir) {
    Path fileName = dir.getFileName();
    if (fileName == null) {
      return "model";
    }
    Path parent = dir.getParent();
    boolean version = fileName.toString().matches("\\d+");
    return version && parent != null && parent.getFileName() != null ? parent.getFileName().toString()
        : fileName.toString();
  }
}
