package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Runs models on ONNX Runtime CPU (one thread, basic graph optimizations: the same options for every model) and composes split parts: in file-name
 * order, each fed by name from the model's inputs and the earlier parts' outputs.
 */
final class Composition {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  /**
   * ONNX Runtime's basic graph optimizations: its extended ones fuse a Conv with the Add of a residual (FusedConv with
   * a sum), which adds in another order; a cut between the two prevents that fusion in the parts, so only the basic
   * level compares bit for bit.
   */
  static final OrtSession.SessionOptions.OptLevel LEVEL = OrtSession.SessionOptions.OptLevel.BASIC_OPT;

  private Composition() {}

  /** Seeded random float32 values in [-1, 1) of {@code shape}. */
  static Map<String, float[]> input(String name, long seed, int elements) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[elements];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return Map.of(name, v);
  }

  /** The outputs of one model, by name, for float32 inputs of the given shapes. */
  static Map<String, float[]> run(byte[] model, Map<String, float[]> inputs, Map<String, long[]> shapes)
      throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(LEVEL);
      try (OrtSession session = ENV.createSession(model, options)) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
          for (String name : session.getInputNames()) {
            feed.put(name, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(inputs.get(name)), shapes.get(name)));
          }
          Map<String, float[]> outputs = new LinkedHashMap<>();
          try (OrtSession.Result result = session.run(feed)) {
            for (Map.Entry<String, OnnxValue> e : result) {
              OnnxTensor t = (OnnxTensor) e.getValue();
              FloatBuffer b = t.getFloatBuffer();
              float[] v = new float[b.remaining()];
              b.get(v);
              outputs.put(e.getKey(), v);
              shapes.put(e.getKey(), t.getInfo().getShape());
            }
          }
          return outputs;
        } finally {
          feed.values().forEach(OnnxTensor::close);
        }
      }
    }
  }

  /** The unsplit model's outputs. */
  static Map<String, float[]> whole(OnnxMl.ModelProto model, Map<String, float[]> inputs, Map<String, long[]> shapes)
      throws OrtException {
    return run(model.toByteArray(), inputs, new HashMap<>(shapes));
  }

  /** Every tensor the parts give, after running them in file-name order. */
  static Map<String, float[]> compose(List<byte[]> partsInOrder, Map<String, float[]> inputs,
      Map<String, long[]> shapes) throws OrtException {
    Map<String, float[]> known = new HashMap<>(inputs);
    Map<String, long[]> knownShapes = new HashMap<>(shapes);
    for (byte[] part : partsInOrder) {
      known.putAll(run(part, known, knownShapes));
    }
    return known;
  }

  /** The parts of a split in memory, sorted by file name. */
  static List<byte[]> inOrder(ModelSplit split) {
    return split.parts().stream().sorted((a, b) -> a.fileName().compareTo(b.fileName()))
        .map(p -> p.model().toByteArray()).toList();
  }

  /** The {@code *.onnx} files of a directory, sorted by name. */
  static List<byte[]> inOrder(Path dir) throws Exception {
    List<byte[]> parts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".onnx")).sorted().toList()) {
        parts.add(Files.readAllBytes(p));
      }
    }
    return parts;
  }
}
