package io.edgeai4j.inference.serving;

import java.util.Locale;

/** The life of one model version: LOADING, then READY or FAILED; READY, then DRAINING, then UNLOADED. */
public enum VersionState {
  LOADING,
  READY,
  DRAINING,
  UNLOADED,
  FAILED;

  /** The lower-case name, as used in the {@code state} metrics label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
