package io.edgeai4j.train.distill;

import ai.djl.ndarray.NDArray;

/**
 * Hinton et al.'s knowledge-distillation loss, mean over the batch's rows:
 * {@code alpha · T² · KL(softmax(teacher / T) ‖ softmax(student / T)) + (1 − alpha) · CE(student, labels)}, and on
 * unlabelled rows {@code T² · KL(...)} alone. T² keeps the soft term's gradients at the scale of the hard term's as T
 * changes. Stateless.
 */
public final class DistillationLoss {
  private DistillationLoss() {}

  /**
   * @param student The student's class scores {@code [n, classes]}.
   * @param teacher The teacher's class scores, same shape.
   * @param oneHotLabels The labels one-hot {@code [n, classes]}, or null for unlabelled rows.
   */
  public static NDArray of(NDArray student, NDArray teacher, NDArray oneHotLabels, float temperature, float alpha) {
    NDArray logTeacher = teacher.div(temperature).logSoftmax(-1);
    NDArray logStudent = student.div(temperature).logSoftmax(-1);
    NDArray kl = logTeacher.exp().mul(logTeacher.sub(logStudent)).sum(new int[] {1}).mean();
    NDArray soft = kl.mul(temperature * temperature);
    if (oneHotLabels == null) {
      return soft;
    }
    NDArray hard = student.logSoftmax(-1).mul(oneHotLabels).sum(new int[] {1}).neg().mean();
    return soft.mul(alpha).add(hard.mul(1 - alpha));
  }
}
