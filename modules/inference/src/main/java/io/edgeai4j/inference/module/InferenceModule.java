package io.edgeai4j.inference.module;

import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.ModuleContext;
import java.time.Duration;

/**
 * The inference module: serves the models its twin names from a model repository, through the backend chosen at
 * start, and answers input {@code infer} (tensors), input {@code features} (a sensor-ingestion features message,
 * mapped to a model by the twin), input {@code windows} (a window's raw samples, mapped likewise), input
 * {@code activations} (a split model's tensors from the module running the previous part; a part that is not the last
 * sends its own on output {@code activations}), input {@code activate} (a model-update module's request to serve a staged version,
 * answered on output {@code activated}) and direct methods {@code infer}, {@code models}, {@code load} and
 * {@code unload}.
 * Results and errors go to output {@code results}; a features message classified as other than the model's first
 * class goes to output {@code alert} as well. A desired patch of {@code models} hot-swaps versions while requests
 * run. Reports backend and model states in reported property {@value #REPORTED_SECTION} whenever they change.
 *
 * <p>A facade that wires its parts at start: {@link ServingResources} (backend, server, result threads, request
 * handler), {@link ModelChanges} (twin applies, loads, unloads, activations), {@link ModelMethods},
 * {@link ActivationInput} and {@link StateReporter}. {@link #stop()} answers what is in flight (up to
 * {@link #DRAIN_TIMEOUT}), then closes the server (which drains what it accepted), the result threads and the
 * backend. Thread-safe: requests never wait for a model change (load, warm-up, swap), which runs on the twin, method
 * or input thread that asked for it, one change at a time.
 */
public final class InferenceModule implements EdgeModule {
  /** The reported property this module writes. */
  public static final String REPORTED_SECTION = "inference";
  /** How long {@link #stop()} waits for requests in flight to be answered. */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** Set by {@link #start} before anything is bound; null before, when {@link #stop()} has nothing to release. */
  private volatile ServingResources resources;

  @Override
  public void start(ModuleContext moduleContext) throws Exception {
    ServingResources serving = new ServingResources(moduleContext);
    this.resources = serving;
    StateReporter reporter = new StateReporter(moduleContext, serving);
    ModelChanges changes = new ModelChanges(moduleContext, serving);
    ModelMethods methods = new ModelMethods(changes, serving, reporter);
    ActivationInput activations = new ActivationInput(moduleContext, changes, serving, reporter);
    try {
      moduleContext.bindDesiredProperties(InferenceConfig.class, (config, version) -> {
        changes.apply(config);
        reporter.reportIfChanged();
      });
      moduleContext.onInput("infer", message -> serving.handler().onInfer(message));
      moduleContext.onInput("features", message -> serving.handler().onFeatures(message));
      moduleContext.onInput("windows", message -> serving.handler().onWindows(message));
      moduleContext.onInput(ActivationForwarder.OUTPUT, message -> serving.activations().onActivations(message));
      moduleContext.onInput(Activation.INPUT, activations::onActivate);
      moduleContext.onMethod("infer", request -> serving.handler().invokeInfer(request));
      moduleContext.onMethod("models", request -> methods.models());
      moduleContext.onMethod("load", methods::load);
      moduleContext.onMethod("unload", methods::unload);
      moduleContext.schedule(StateReporter.STATUS_POLL, reporter::reportIfChanged);
      moduleContext.schedule(ActivationsInput.EXPIRY_CHECK, () -> serving.activations().expire());
    } catch (Exception | Error e) {
      // The host does not call stop() after a failed start: release the backend, server and threads here.
      try {
        stop();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    reporter.reportIfChanged();
  }

  @Override
  public void stop() throws Exception {
    ServingResources r = resources;
    if (r != null) {
      r.close(DRAIN_TIMEOUT);
    }
  }
}
