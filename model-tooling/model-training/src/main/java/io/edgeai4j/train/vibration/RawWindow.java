package io.edgeai4j.train.vibration;

import io.edgeai4j.training.FaultClass;
import java.util.Objects;

/**
 * One window of raw vibration samples from a simulated run, with its ground truth. The raw counterpart of
 * fault-classifier-training's {@code LabelledWindow} (which holds a feature row, not samples).
 *
 * @param run The index of the run (scenario) that produced it.
 * @param label The class of the window's last block, as the sensor-ingestion module labels its messages.
 * @param straddlesOnset Whether the window holds samples from before and after its run's fault onset (labelled with
 *     the fault while partly healthy).
 * @param values The samples, oldest first, in m/s²; kept, not copied: do not change them.
 */
public record RawWindow(int run, FaultClass label, boolean straddlesOnset, float[] values) {
  /** Validates. */
  public RawWindow {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(values, "values");
  }
}
