package io.edgeai4j.nativebindings.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The request the parent writes to the builder child's stdin, as one JSON object: the {@link EngineBuildOptions}
 * and the directory the plan goes to. {@code {"model":..,"precision":"FP16","profiles":[{"input":..,"min":[..],
 * "opt":[..],"max":[..]}],"workspaceBytes":..,"timingCache":..|null,"timeoutMillis":..,"outputDir":..}}.
 */
record BuildRequest(EngineBuildOptions options, Path outputDir) {
  static final ObjectMapper JSON = new ObjectMapper();

  String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", options.model().toAbsolutePath().toString());
    n.put("precision", options.precision().name());
    ArrayNode profiles = n.putArray("profiles");
    for (ShapeProfile p : options.profiles()) {
      ObjectNode o = profiles.addObject().put("input", p.input());
      dims(o.putArray("min"), p.min());
      dims(o.putArray("opt"), p.opt());
      dims(o.putArray("max"), p.max());
    }
    n.put("workspaceBytes", options.workspaceBytes());
    n.put("timingCache", options.timingCache().map(t -> t.toAbsolutePath().toString()).orElse(null));
    n.put("timeoutMillis", options.timeout().toMillis());
    n.put("outputDir", outputDir.toAbsolutePath().toString());
    return n.toString();
  }

  /** @throws IllegalArgumentException Naming the field that is missing or invalid. */
  static BuildRequest parse(String json) throws IOException {
    JsonNode n = JSON.readTree(json);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("engine build request: expected a JSON object, found '" + json + "'");
    }
    EngineBuildOptions.Builder b = EngineBuildOptions.builder(Path.of(text(n, "model")))
        .precision(Precision.valueOf(text(n, "precision")))
        .workspaceBytes(required(n, "workspaceBytes").asLong())
        .timeout(Duration.ofMillis(required(n, "timeoutMillis").asLong()));
    for (JsonNode p : required(n, "profiles")) {
      b.profile(new ShapeProfile(text(p, "input"), dims(p, "min"), dims(p, "opt"), dims(p, "max")));
    }
    if (n.hasNonNull("timingCache")) {
      b.timingCache(Path.of(n.get("timingCache").asText()));
    }
    return new BuildRequest(b.build(), Path.of(text(n, "outputDir")));
  }

  private static void dims(ArrayNode a, long[] d) {
    for (long v : d) {
      a.add(v);
    }
  }

  private static long[] dims(JsonNode p, String field) {
    JsonNode a = required(p, field);
    long[] d = new long[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).asLong();
    }
    return d;
  }

  private static String text(JsonNode n, String field) {
    return required(n, field).asText();
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("engine build request: field '" + field + "' missing in " + n);
    }
    return v;
  }
}
