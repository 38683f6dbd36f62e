package io.edgeai4j.train.distill;

import io.edgeai4j.train.fit.TrainingOptions;
import java.util.Objects;

/**
 * How {@link Distiller} distills: the softening temperature T, the weight alpha of the soft (teacher) term against the
 * hard (label) term, and the training loop's options. Immutable, validated once.
 *
 * @param temperature T &gt; 0; 4 by default. Higher spreads the teacher's probability over more classes.
 * @param alpha 0 to 1; 0.7 by default. Used on labelled rows only: unlabelled rows have the soft term alone.
 */
public record DistillationOptions(float temperature, float alpha, TrainingOptions training) {
  public static final float DEFAULT_TEMPERATURE = 4f;
  public static final float DEFAULT_ALPHA = 0.7f;

  public DistillationOptions {
    Objects.requireNonNull(training, "training");
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature " + temperature + ", expected a positive number");
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha " + alpha + ", expected 0 to 1");
    }
  }

  /** The defaults (T 4, alpha 0.7) with {@code training}. */
  public static DistillationOptions of(TrainingOptions training) {
    return new DistillationOptions(DEFAULT_TEMPERATURE, DEFAULT_ALPHA, training);
  }
}
