package io.edgeai4j.train.fit;

/**
 * How {@link SupervisedTrainer} trains: Adam at a fixed learning rate on shuffled mini-batches, for a number of epochs,
 * keeping the epoch with the best validation accuracy and stopping after {@code patience} epochs without a better one.
 * Immutable, validated once by its builder.
 */
public final class TrainingOptions {
  private final int epochs;
  private final int batchSize;
  private final float learningRate;
  private final long seed;
  private final int patience;

  private TrainingOptions(Builder b) {
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.learningRate = b.learningRate;
    this.seed = b.seed;
    this.patience = b.patience;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public float learningRate() {
    return learningRate;
  }

  /** Seeds the shuffles and PyTorch's random numbers (dropout). */
  public long seed() {
    return seed;
  }

  /** Epochs without a better validation accuracy before training stops; {@code epochs} means never early. */
  public int patience() {
    return patience;
  }

  /** Builds {@link TrainingOptions}; defaults: 5 epochs, batches of 64, learning rate 0.001, seed 1, patience 3. */
  public static final class Builder {
    private int epochs = 5;
    private int batchSize = 64;
    private float learningRate = 1e-3f;
    private long seed = 1;
    private int patience = 3;

    private Builder() {}

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder learningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder patience(int patience) {
      this.patience = patience;
      return this;
    }

    /** @throws IllegalArgumentException Naming the option out of range and what it may be. */
    public TrainingOptions build() {
      if (epochs < 0) {
        throw new IllegalArgumentException("epochs " + epochs + ", expected 0 or more");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size " + batchSize + ", expected 1 or more");
      }
      if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
        throw new IllegalArgumentException("learning rate " + learningRate + ", expected a positive number");
      }
      if (patience < 1) {
        throw new IllegalArgumentException("patience " + patience + ", expected 1 or more");
      }
      return new TrainingOptions(this);
    }
  }
}
