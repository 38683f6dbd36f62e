package io.edgeai4j.runtime.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.spi.TwinDocument;
import java.util.Iterator;
import java.util.Map;

/**
 * One module twin: desired and reported documents, each with its {@code $version}. Thread-safe.
 */
final class TwinStore {
  private ObjectNode desired;
  private ObjectNode reported;

  TwinStore(ObjectNode initialDesired) {
    desired = initialDesired.deepCopy();
    desired.remove(TwinDocument.VERSION);
    desired.put(TwinDocument.VERSION, 1L);
    reported = JsonNodeFactory.instance.objectNode();
    reported.put(TwinDocument.VERSION, 1L);
  }

  synchronized TwinDocument snapshot() {
    return new TwinDocument(desired, reported);
  }

  /** Merges a desired patch and returns it with the new {@code $version}. */
  synchronized ObjectNode patchDesired(ObjectNode patch) {
    long version = desired.path(TwinDocument.VERSION).asLong() + 1;
    merge(desired, patch);
    desired.put(TwinDocument.VERSION, version);
    ObjectNode versioned = patch.deepCopy();
    versioned.put(TwinDocument.VERSION, version);
    return versioned;
  }

  /** Merges a reported patch and returns the new reported {@code $version}. */
  synchronized long patchReported(ObjectNode patch) {
    long version = reported.path(TwinDocument.VERSION).asLong() + 1;
    merge(reported, patch);
    reported.put(TwinDocument.VERSION, version);
    return version;
  }

  /** JSON merge: objects merge recursively, null deletes, anything else replaces. */
  static void merge(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(TwinDocument.VERSION) || e.getKey().equals("$metadata")) {
        continue;
      }
      JsonNode value = e.getValue();
      if (value.isNull()) {
        target.remove(e.getKey());
      } else if (value.isObject() && target.get(e.getKey()) instanceof ObjectNode existing) {
        merge(existing, (ObjectNode) value);
      } else if (value.isObject()) {
        ObjectNode fresh = target.putObject(e.getKey());
        merge(fresh, (ObjectNode) value);
      } else {
        target.set(e.getKey(), value.deepCopy());
      }
    }
  }
}
