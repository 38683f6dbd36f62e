package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.serving.ModelDescriptor;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.inference.serving.VersionStatus;
import java.util.Iterator;
import java.util.List;

/** Writes model snapshots as the reported properties and the {@code models} method answer them. Stateless. */
final class ModelReports {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ModelReports() {}

  /** {@code {name: {versions: {"1": {state, detail, loadTimeMillis}}}}}. */
  static ObjectNode reported(List<ModelStatus> models) {
    ObjectNode node = NODES.objectNode();
    for (ModelStatus m : models) {
      ObjectNode versions = node.putObject(m.name()).putObject("versions");
      for (VersionStatus v : m.versions()) {
        versions.set(Long.toString(v.version()), version(v));
      }
    }
    return node;
  }

  /**
   * A patch that turns {@code before} into {@code after}: {@code after} with a null for every key of
   * {@code before} it lacks, at every object level (a reported null deletes the key).
   */
  static ObjectNode patch(ObjectNode before, ObjectNode after) {
    ObjectNode patch = after.deepCopy();
    addDeletions(before, patch);
    return patch;
  }

  private static void addDeletions(ObjectNode before, ObjectNode patch) {
    for (Iterator<String> it = before.fieldNames(); it.hasNext();) {
      String key = it.next();
      JsonNode now = patch.get(key);
      if (now == null) {
        patch.putNull(key);
      } else if (now.isObject() && before.get(key).isObject()) {
        addDeletions((ObjectNode) before.get(key), (ObjectNode) now);
      }
    }
  }

  /** The {@code models} method's entry for one model: versions and a summary of its {@code model.json}. */
  static ObjectNode listed(ModelStatus m) {
    ObjectNode node = NODES.objectNode();
    node.put("name", m.name());
    ArrayNode versions = node.putArray("versions");
    for (VersionStatus v : m.versions()) {
      versions.add(version(v).put("version", v.version()));
    }
    ModelDescriptor d = m.descriptor();
    if (d == null) {
      node.putNull("descriptor");
      return node;
    }
    ObjectNode descriptor = node.putObject("descriptor");
    descriptor.put("description", d.description());
    descriptor.set("inputs", specs(d.inputs()));
    descriptor.set("outputs", specs(d.outputs()));
    d.labels().ifPresent(l -> {
      ObjectNode labels = descriptor.putObject("labels");
      labels.put("output", l.output());
      l.classes().forEach(labels.putArray("classes")::add);
    });
    d.featureInput().ifPresent(f -> {
      ObjectNode fi = descriptor.putObject("featureInput");
      fi.put("input", f.input());
      f.fields().forEach(fi.putArray("fields")::add);
    });
    d.windowInput().ifPresent(w -> descriptor.putObject("windowInput").put("input", w.input())
        .put("length", w.length()));
    d.partition().ifPresent(p -> {
      ObjectNode partition = descriptor.putObject("partition");
      partition.put("model", p.model()).put("part", p.part()).put("parts", p.parts());
      if (p.next() != null) {
        partition.put("next", p.next());
      }
      partition.put("activationEncoding", p.activationEncoding().spelling());
    });
    ModelDescriptor.Batching b = d.batching();
    descriptor.putObject("batching").put("maxBatchSize", b.maxBatchSize())
        .put("maxQueueDelayMicros", b.maxQueueDelay().toNanos() / 1000).put("maxQueueSize", b.maxQueueSize())
        .put("requestTimeoutMillis", b.requestTimeout().toMillis()).put("instances", b.instances());
    descriptor.put("warmupRuns", d.warmupRuns());
    return node;
  }

  private static ObjectNode version(VersionStatus v) {
    ObjectNode node = NODES.objectNode();
    node.put("state", v.state().label());
    node.put("detail", v.detail());
    node.put("loadTimeMillis", v.loadTime().toMillis());
    return node;
  }

  private static ArrayNode specs(List<TensorSpec> specs) {
    ArrayNode array = NODES.arrayNode();
    for (TensorSpec s : specs) {
      ObjectNode o = array.addObject();
      o.put("name", s.name());
      o.put("type", s.type().spelling());
      ArrayNode shape = o.putArray("shape");
      for (long d : s.shape()) {
        shape.add(d);
      }
    }
    return array;
  }
}
