package io.edgeai4j.inference.tensorrt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-model settings the TensorRT backend reads from the {@code model.json} beside {@code model.onnx}: from the
 * model server's {@code batching} block, {@code maxBatchSize} (the largest batch the engine's profile must take) and
 * {@code instances} (execution contexts); from the block {@code tensorrt}, the engine's options. Without
 * {@code model.json} the model server's defaults apply (batching 32, 1 instance) and the engine's are used.
 *
 * <pre>{@code
 * "tensorrt": {"precision": "fp16", "workspaceMiB": 1024, "buildTimeoutSeconds": 1800,
 *              "shapes": {"x": {"min": [1, 3, 224, 224], "opt": [8, 3, 224, 224], "max": [16, 3, 224, 224]}}}
 * }</pre>
 *
 * @param maxBatchSize {@code batching.maxBatchSize}, 1 to 65536; default 32.
 * @param instances {@code batching.instances}, 1 to 64; default 1.
 * @param precision {@code tensorrt.precision} ({@code fp32}, {@code fp16}, {@code int8}); empty: from the model.
 * @param workspaceBytes {@code tensorrt.workspaceMiB} in bytes; default 1 GiB.
 * @param buildTimeout {@code tensorrt.buildTimeoutSeconds}; default 30 minutes.
 * @param shapes {@code tensorrt.shapes}: explicit profiles by input name, replacing the ones from batching.
 */
record ModelSettings(int maxBatchSize, int instances, Optional<Precision> precision, long workspaceBytes,
    Duration buildTimeout, Map<String, ShapeProfile> shapes) {
  /** The model server's defaults (its {@code Batching.DEFAULT}) and the engine builder's. */
  static final ModelSettings DEFAULT = new ModelSettings(32, 1, Optional.empty(), 1L << 30, Duration.ofMinutes(30),
      Map.of());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TENSORRT_KEYS = Set.of("precision", "workspaceMiB", "buildTimeoutSeconds",
      "shapes");

  ModelSettings {
    shapes = Map.copyOf(shapes);
  }

  /** The settings of the model file {@code model}: from {@code model.json} beside it, else {@link #DEFAULT}. */
  static ModelSettings forModel(Path model) throws IOException {
    Path json = model.resolveSibling("model.json");
    return Files.isRegularFile(json) ? read(json) : DEFAULT;
  }

  /**
   * Reads {@code model.json}.
   *
   * @throws IOException Unreadable JSON, or a setting of the wrong type or range, naming its JSON pointer, what was
   *     found and what was expected.
   */
  static ModelSettings read(Path modelJson) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(modelJson.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(modelJson + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    return parse(modelJson.toString(), root);
  }

  static ModelSettings parse(String file, JsonNode root) throws IOException {
    int maxBatchSize = DEFAULT.maxBatchSize;
    int instances = DEFAULT.instances;
    JsonNode batching = root.path("batching");
    if (batching.isObject()) {
      maxBatchSize = integer(file, "/batching/maxBatchSize", batching.get("maxBatchSize"), maxBatchSize, 1, 65536);
      instances = integer(file, "/batching/instances", batching.get("instances"), instances, 1, 64);
    }
    JsonNode trt = root.get("tensorrt");
    if (trt == null || trt.isNull()) {
      return new ModelSettings(maxBatchSize, instances, Optional.empty(), DEFAULT.workspaceBytes,
          DEFAULT.buildTimeout, Map.of());
    }
    if (!trt.isObject()) {
      throw bad(file, "/tensorrt", "an object", trt);
    }
    for (Iterator<String> it = trt.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!TENSORRT_KEYS.contains(key)) {
        throw new IOException(file + ": /tensorrt/" + key + ": unknown setting, expected one of "
            + TENSORRT_KEYS.stream().sorted().toList());
      }
    }
    Optional<Precision> precision = Optional.empty();
    JsonNode p = trt.get("precision");
    if (p != null) {
      String text = p.isTextual() ? p.asText().toUpperCase(Locale.ROOT) : "";
      try {
        precision = Optional.of(Precision.valueOf(text));
      } catch (IllegalArgumentException e) {
        throw bad(file, "/tensorrt/precision", "one of \"fp32\", \"fp16\", \"int8\"", p);
      }
    }
    long workspace = (long) integer(file, "/tensorrt/workspaceMiB", trt.get("workspaceMiB"), 1024, 1, 1 << 20) << 20;
    int timeout = integer(file, "/tensorrt/buildTimeoutSeconds", trt.get("buildTimeoutSeconds"), 1800, 1, 86400);
    Map<String, ShapeProfile> shapes = new LinkedHashMap<>();
    JsonNode s = trt.get("shapes");
    if (s != null) {
      if (!s.isObject()) {
        throw bad(file, "/tensorrt/shapes", "an object of input name to {min, opt, max}", s);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String at = "/tensorrt/shapes/" + e.getKey();
        JsonNode v = e.getValue();
        if (!v.isObject()) {
          throw bad(file, at, "{\"min\": [..], \"opt\": [..], \"max\": [..]}", v);
        }
        try {
          shapes.put(e.getKey(), new ShapeProfile(e.getKey(), dims(file, at + "/min", v.get("min")),
              dims(file, at + "/opt", v.get("opt")), dims(file, at + "/max", v.get("max"))));
        } catch (IllegalArgumentException ex) {
          throw new IOException(file + ": " + at + ": " + ex.getMessage(), ex);
        }
      }
    }
    return new ModelSettings(maxBatchSize, instances, precision, workspace, Duration.ofSeconds(timeout), shapes);
  }

  private static long[] dims(String file, String at, JsonNode n) throws IOException {
    if (n == null || !n.isArray() || n.isEmpty()) {
      throw bad(file, at, "an array of dimensions, e.g. [1, 3, 224, 224]", n);
    }
    long[] d = new long[n.size()];
    for (int i = 0; i < d.length; i++) {
      if (!n.get(i).canConvertToLong() || !n.get(i).isIntegralNumber() || n.get(i).asLong() < 1) {
        throw bad(file, at, "dimensions of 1 or more", n);
      }
      d[i] = n.get(i).asLong();
    }
    return d;
  }

  private static int integer(String file, String at, JsonNode n, int dflt, int min, int max) throws IOException {
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
      throw bad(file, at, "an integer from " + min + " to " + max, n);
    }
    return n.asInt();
  }

  private static IOException bad(String file, String at, String expected, JsonNode found) {
    return new IOException(file + ": " + at + ": expected " + expected + ", found " + found);
  }
}
