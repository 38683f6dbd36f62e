package io.edgeai4j.train.fit;

/**
 * One epoch of training.
 *
 * @param epoch 1-based.
 * @param meanLoss Mean cross-entropy over the epoch's training batches (nats per row).
 * @param validationAccuracy Top-1 accuracy on the validation rows after the epoch, 0 to 1.
 * @param seconds Wall time of the epoch, validation included.
 */
public record EpochResult(int epoch, double meanLoss, double validationAccuracy, double seconds) {}
