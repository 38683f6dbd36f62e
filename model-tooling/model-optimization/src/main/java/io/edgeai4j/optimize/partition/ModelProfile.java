package io.edgeai4j.optimize.partition;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A model's measured profile on one machine ({@code edge model profile}'s PROFILE.json): per node the mean, median
 * and standard deviation of its kernel time over the measured runs, the size of every tensor for one row, the encode
 * and decode cost of each activation encoding, and the machine. Immutable; one profile per machine is an input of the
 * {@link Planner}.
 *
 * @param model the model file's name
 * @param sha256 the model file's SHA-256 (hex), which the planner checks against the model it plans
 * @param graphOptimization ONNX Runtime's graph optimization level during the runs ({@code disabled}: node names are
 *     the model's own)
 * @param warmupRuns runs before the measured ones, not counted
 * @param runs measured runs, one row each
 * @param nodes every node of the model, in the model's order
 * @param tensors every graph input and node output, by name
 * @param codecs the cost of encoding and decoding a float32 element, by encoding label ({@code float32}, ...)
 */
public record ModelProfile(String model, String sha256, String graphOptimization, int warmupRuns, int runs,
    Machine machine, List<NodeTiming> nodes, Map<String, TensorSize> tensors, Map<String, CodecCost> codecs) {

  /** Copies the collections; checks that nothing is missing. */
  public ModelProfile {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(machine, "machine");
    nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    tensors = Map.copyOf(Objects.requireNonNull(tensors, "tensors"));
    codecs = Map.copyOf(Objects.requireNonNull(codecs, "codecs"));
  }

  /** The machine a profile was taken on. */
  public record Machine(String cpu, int cores, String os, String onnxRuntime, int threads) {}

  /**
   * One node's kernel time in microseconds over the measured runs; {@code samples} 0 when ONNX Runtime ran no kernel
   * for it (e.g. a Constant, which it folds into an initializer): its times are 0.
   */
  public record NodeTiming(String name, String opType, int samples, double meanMicros, double p50Micros,
      double stddevMicros) {}

  /** One tensor for one row: ONNX element type name ({@code FLOAT}, ...), shape and bytes. */
  public record TensorSize(String elementType, long[] shape, long bytes) {
    /** The number of elements. */
    public long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /** Nanoseconds to encode and to decode one float32 element in an encoding, measured on this machine. */
  public record CodecCost(double encodeNanosPerElement, double decodeNanosPerElement) {}

  /** The node timings by node name. */
  public Map<String, NodeTiming> nodesByName() {
    return nodes.stream().collect(Collectors.toMap(NodeTiming::name, Function.identity(), (a, b) -> a));
  }
}
