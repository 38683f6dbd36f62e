package io.edgeai4j.modelupdate.pipeline;

/** A step of the pipeline refused the release; the message is the reported reason, naming the field or check. */
public final class UpdateFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with its reason. */
  public UpdateFailure(String reason) {
    super(reason);
  }

  /** Creates the failure with its reason and cause. */
  public UpdateFailure(String reason, Throwable cause) {
    super(reason, cause);
  }
}
