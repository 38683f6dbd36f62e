package io.edgeai4j.training;

import java.util.Objects;

/**
 * One window's feature row ({@link FeatureVector#FIELDS} order) and its ground truth.
 *
 * @param run The index of the run (scenario) that produced it, to split by run.
 * @param label The class of the window's last block, as the sensor-ingestion module labels its messages.
 * @param features The feature row; kept, not copied: do not change it.
 */
public record LabelledWindow(int run, FaultClass label, double[] features) {
  /** Validates. */
  public LabelledWindow {
    Objects.requireNonNull(label, "label");
    if (features == null || features.length != FeatureVector.FIELDS.size()) {
      throw new IllegalArgumentException("features must hold " + FeatureVector.FIELDS.size() + " values");
    }
  }
}
