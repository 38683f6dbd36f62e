package io.edgeai4j.training;

import java.time.Duration;

/**
 * The committed model's data: which simulated runs train it and which test it. Split by run: the two plans draw
 * from different seeds, so no run (and no window) is in both. Constants only.
 */
public final class TrainingRecipe {
  /** The training runs: 40 per class, 12 s each (about 57 windows per run). */
  public static final ScenarioPlan TRAIN = new ScenarioPlan(1, 40, Duration.ofSeconds(12));
  /** The held-out runs the README's accuracy is measured on: 10 per class. */
  public static final ScenarioPlan TEST = new ScenarioPlan(2, 10, Duration.ofSeconds(12));
  /** The version directory the committed model lives in. */
  public static final long VERSION = 1;

  private TrainingRecipe() {}
}
