package io.edgeai4j.inference.backend;

/** How much a backend may rewrite a model's graph before running it (ONNX Runtime's levels). */
public enum OptimizationLevel {
  NONE,
  BASIC,
  EXTENDED,
  ALL
}
