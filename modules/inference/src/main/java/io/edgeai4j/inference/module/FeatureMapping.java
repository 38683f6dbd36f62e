package io.edgeai4j.inference.module;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The twin's {@code features.<sensor>}: which model classifies the features messages of one sensor.
 * Immutable.
 *
 * @param model The model's name.
 * @param version The version to use, or null for the model's current one.
 * @param minConfidence The least confidence, 0 to 1, at which a class other than the model's first (e.g.
 *     {@code normal}) raises an alert; default 0.
 */
public record FeatureMapping(String model, Long version, double minConfidence) {
  /** Binds from the twin. */
  @JsonCreator
  public static FeatureMapping of(@JsonProperty(value = "model", required = true) String model,
      @JsonProperty("version") Long version, @JsonProperty("minConfidence") Double minConfidence) {
    return new FeatureMapping(model, version, minConfidence == null ? 0.0 : minConfidence);
  }

  /** Validates. */
  public FeatureMapping {
    if (model == null || !TwinKeys.isValid(model)) {
      throw new IllegalArgumentException("model must name a model, found '" + model + "'");
    }
    if (version != null && version < 1) {
      throw new IllegalArgumentException("version must be 1 or more, found " + version);
    }
    if (!(minConfidence >= 0 && minConfidence <= 1)) {
      throw new IllegalArgumentException("minConfidence must be 0 to 1, found " + minConfidence);
    }
  }
}
