package io.edgeai4j.inference.module;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.inference.serving.VersionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The twin's {@code models.<name>}, and the {@code load} method's payload: which versions of a model to
 * serve. Immutable.
 *
 * @param versionPolicy {@code {"latest": n}} (the newest n on disk, 1 to 100) or {@code {"specific": [1, 3]}};
 *     default {@code {"latest": 1}}.
 */
public record ModelSettings(VersionPolicy versionPolicy) {
  /** The default: the newest version only. */
  public static final ModelSettings DEFAULT = new ModelSettings(VersionPolicy.latest(1));

  /** Binds {@code {"versionPolicy": {...}}}; an absent policy is {@code {"latest": 1}}. */
  @JsonCreator
  public static ModelSettings of(@JsonProperty("versionPolicy") JsonNode versionPolicy) {
    return versionPolicy == null || versionPolicy.isNull() ? DEFAULT
        : new ModelSettings(policy(versionPolicy, "versionPolicy"));
  }

  /** Validates. */
  public ModelSettings {
    Objects.requireNonNull(versionPolicy, "versionPolicy");
  }

  /**
   * Parses a version policy object.
   *
   * @param node {@code {"latest": n}} or {@code {"specific": [v, ...]}}.
   * @param path The node's dotted path, for errors.
   * @throws IllegalArgumentException Naming the path, what was found and what is expected.
   */
  public static VersionPolicy policy(JsonNode node, String path) {
    String expected = " must be {\"latest\": n} or {\"specific\": [versions]}, found " + node;
    if (node == null || !node.isObject() || node.size() != 1) {
      throw new IllegalArgumentException(path + expected);
    }
    if (node.has("latest")) {
      JsonNode n = node.get("latest");
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 100) {
        throw new IllegalArgumentException(path + ".latest must be an integer 1 to 100, found " + n);
      }
      return VersionPolicy.latest(n.intValue());
    }
    if (node.has("specific")) {
      JsonNode list = node.get("specific");
      if (!list.isArray() || list.isEmpty()) {
        throw new IllegalArgumentException(path + ".specific must be a non-empty array of versions, found " + list);
      }
      List<Long> versions = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode v = list.get(i);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 1) {
          throw new IllegalArgumentException(path + ".specific[" + i + "] must be a version number 1 or more, found "
              + v);
        }
        versions.add(v.longValue());
      }
      return VersionPolicy.specific(versions);
    }
    throw new IllegalArgumentException(path + expected);
  }
}
