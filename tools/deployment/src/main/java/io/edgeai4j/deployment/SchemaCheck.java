package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the {@code properties.desired} of {@code $edgeAgent} (schema 1.0, 1.1) and {@code $edgeHub} (1.0 to 1.3)
 * against the JSON schemas bundled in {@code io/edgeai4j/deployment/schemas/}. No network. Thread-safe.
 *
 * <p>Module and environment variable names are not in the schemas: {@link ModuleCheck} reports them with plainer
 * messages.
 */
final class SchemaCheck {
  /** A system module's twin and the schema versions it has. */
  enum Twin {
    EDGE_AGENT("$edgeAgent", "edgeagent", List.of("1.0", "1.1")),
    EDGE_HUB("$edgeHub", "edgehub", List.of("1.0", "1.1", "1.2", "1.3"));

    final String key;
    final String filePrefix;
    final List<String> versions;

    Twin(String key, String filePrefix, List<String> versions) {
      this.key = key;
      this.filePrefix = filePrefix;
      this.versions = versions;
    }
  }

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
  private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

  private SchemaCheck() {}

  /**
   * Checks one desired document.
   *
   * @param twin Which system module's twin.
   * @param desired Its {@code properties.desired}.
   * @param pointer The pointer of {@code desired} in the manifest.
   */
  static List<Problem> check(Twin twin, JsonNode desired, String pointer) {
    JsonNode version = desired.get("schemaVersion");
    String versionPointer = pointer + "/schemaVersion";
    if (version == null) {
      return List.of(Problem.error(versionPointer, "missing; expected one of " + twin.versions));
    }
    if (!version.isTextual() || !twin.versions.contains(version.textValue())) {
      return List.of(Problem.error(versionPointer, version + " is not a " + twin.key + " schema version; expected"
          + " one of the strings " + twin.versions));
    }
    Schema schema = SCHEMAS.computeIfAbsent(twin.filePrefix + "-" + version.textValue(), SchemaCheck::load);
    List<Error> errors = new ArrayList<>(schema.validate(desired.toString(), InputFormat.JSON));
    errors.sort(Comparator.comparing((Error e) -> pointerOf(e.getInstanceLocation()))
        .thenComparing(Error::getMessage));
    List<Problem> problems = new ArrayList<>();
    for (Error error : errors) {
      String at = pointer + pointerOf(error.getInstanceLocation());
      String reason = twin.key + " schema " + version.textValue() + ": " + error.getMessage();
      if (error.getProperty() != null && "additionalProperties".equals(error.getKeyword())) {
        at = JsonPointers.child(at, error.getProperty());
      }
      problems.add(Problem.error(at, reason));
    }
    return problems;
  }

  private static String pointerOf(NodePath path) {
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      pointer.append(element instanceof Integer index ? JsonPointers.child("", index)
          : JsonPointers.child("", String.valueOf(element)));
    }
    return pointer.toString();
  }

  private static Schema load(String name) {
    String resource = "schemas/" + name + ".json";
    try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled schema " + resource + " is missing from the jar");
      }
      return REGISTRY.getSchema(in, InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled schema " + resource, e);
    }
  }
}
