package io.edgeai4j.modelupdate.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where a model's update stands, as reported in {@code models.<name>.state}. */
public enum UpdateState {
  /** The package is being downloaded; {@code progress} says how far. */
  DOWNLOADING("downloading"),
  /**
   * A download attempt failed for a reason that may pass (connection, timeout, HTTP 5xx/408/429, a full disk); the
   * next attempt begins at {@code nextAttemptAt} and resumes the part. Retried for as long as the release is
   * desired, also across restarts.
   */
  RETRYING("retrying"),
  /** The package's hash (and signature) are being checked, it is unpacked and its inputs compared. */
  VERIFYING("verifying"),
  /**
   * The version is checked and waits for its activation (window) outside the repository, under the state
   * directory; it enters the repository right before the activation request.
   */
  STAGED("staged"),
  /** The inference module was asked to serve the version and has not answered yet. */
  ACTIVATING("activating"),
  /** The inference module said it serves the desired version. */
  ACTIVE("active"),
  /**
   * The desired version failed before the inference module was asked to serve it (release, download, verify,
   * unpack, input check, disk); the previous one ({@code activeVersion}) still serves.
   */
  FAILED("failed"),
  /**
   * The inference module was asked to serve the desired version and answered failed: it stayed on, or went back
   * to, the previous version ({@code activeVersion}); the reason says what failed and which version serves.
   */
  ROLLED_BACK("rolledBack"),
  /** The model is no longer in the desired properties: left serving as it is, nothing done. */
  UNMANAGED("unmanaged");

  private final String wireName;

  UpdateState(String wireName) {
    this.wireName = wireName;
  }

  /** The name in reported properties and state files. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** True for the states the pipeline stops in until the desired release changes. */
  public boolean isFinal() {
    return this == ACTIVE || this == FAILED || this == ROLLED_BACK || this == UNMANAGED;
  }

  /** Parses a wire name. */
  @JsonCreator
  public static UpdateState of(String wireName) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("state: expected one of "
            + Arrays.stream(values()).map(UpdateState::wireName).toList() + ", found '" + wireName + "'"));
  }
}
