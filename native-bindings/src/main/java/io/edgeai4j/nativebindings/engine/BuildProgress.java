package io.edgeai4j.nativebindings.engine;

/**
 * Where an engine build reports how far it got (TensorRT's {@code IProgressMonitor} phases where the API has them,
 * else the steps of the build: parse, configure, build, serialize). Called from the building thread; implementations
 * must be quick and thread-safe.
 */
@FunctionalInterface
public interface BuildProgress {
  /** No reporting. */
  BuildProgress NONE = (phase, step, steps) -> { };

  /**
   * @param phase What is happening, e.g. {@code parsing model.onnx}, {@code building (TensorRT phase: Tactic
   *     selection)}.
   * @param step Steps done in this phase, 0 to {@code steps}.
   * @param steps Steps in this phase; 0 when unknown.
   */
  void update(String phase, int step, int steps);
}
