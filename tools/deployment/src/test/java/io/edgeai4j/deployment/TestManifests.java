package io.edgeai4j.deployment;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** The test fixtures: a valid manifest, module.json folders, and edits by JSON pointer. */
final class TestManifests {
  private TestManifests() {}

  /** A fresh copy of {@code valid-manifest.json} (the amd64.gpu manifest of the committed template). */
  static ObjectNode valid() {
    return (ObjectNode) resource("valid-manifest.json");
  }

  /** The fixture modules directory (inference, sensor-ingestion, model-update). */
  static Path modulesDirectory() {
    try {
      return Path.of(TestManifests.class.getResource("/modules").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fixture descriptors. */
  static ModuleDescriptors modules() {
    try {
      return ModuleDescriptors.load(modulesDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode resource(String name) {
    try (InputStream in = TestManifests.class.getResourceAsStream("/" + name)) {
      return ManifestJson.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets {@code pointer} (its parent must exist); {@code {"$repeat": s, "count": n}} anywhere becomes s n times. */
  static void set(ObjectNode root, String pointer, JsonNode value) {
    JsonPointer at = JsonPointer.compile(pointer);
    JsonNode parent = root.at(at.head());
    JsonNode expanded = expandRepeats(value.deepCopy());
    if (parent instanceof ArrayNode array) {
      array.set(at.last().getMatchingIndex(), expanded);
    } else if (parent instanceof ObjectNode object) {
      object.set(at.last().getMatchingProperty(), expanded);
    } else {
      throw new IllegalArgumentException("no object or array at the parent of " + pointer);
    }
  }

  /** Removes {@code pointer}. */
  static void remove(ObjectNode root, String pointer) {
    JsonPointer at = JsonPointer.compile(pointer);
    JsonNode parent = root.at(at.head());
    if (!(parent instanceof ObjectNode object) || object.remove(at.last().getMatchingProperty()) == null) {
      throw new IllegalArgumentException("nothing to remove at " + pointer);
    }
  }

  private static JsonNode expandRepeats(JsonNode node) {
    if (node.isObject() && node.has("$repeat")) {
      return TextNode.valueOf(node.get("$repeat").asText().repeat(node.get("count").asInt()));
    }
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        field.setValue(expandRepeats(field.getValue()));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, expandRepeats(array.get(i)));
      }
    }
    return node;
  }
}
