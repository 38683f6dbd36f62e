package io.edgeai4j.cli.model;

import io.edgeai4j.cli.model.perf.PerfCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code edge model}: a model.json from a model, the cloud side of model updates (keys, packages, publishing,
 * rollouts), and the optimization tools (data sets, evaluation, inspection, conversion, quantization, perf,
 * fine-tuning and distillation).
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Models: a model.json derived from a model, signing keys, publishing a model version to one"
        + " device or a fleet, watching, promoting or aborting a fleet rollout; data sets, evaluation, inspection,"
        + " conversion, quantization, performance sweeps, fine-tuning, distillation and splitting of ONNX models;"
        + " profiles and partition plans for running a model across device, edge and cloud.",
    subcommands = {InitCommand.class, KeygenCommand.class, PackCommand.class, PublishCommand.class,
        StatusCommand.class, PromoteCommand.class, AbortCommand.class,
        DatasetCommand.class, EvaluateCommand.class, InspectCommand.class, ConvertCommand.class,
        QuantizeCommand.class, PruneCommand.class, PerfCommand.class, FinetuneCommand.class, DistillCommand.class,
        SplitCommand.class,
        ProfileCommand.class,
        PlanCommand.class})
public final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
