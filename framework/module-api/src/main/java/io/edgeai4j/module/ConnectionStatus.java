package io.edgeai4j.module;

/** The state of the link between the module and its hub (edgeHub, or the local runtime). */
public enum ConnectionStatus {
  /** Connected. */
  CONNECTED,
  /** Lost and retrying; the module keeps running and resumes when the link is back. */
  DISCONNECTED_RETRYING,
  /** Lost for good (closed, or retries exhausted). */
  DISCONNECTED
}
