package io.edgeai4j.ingestion.source;

/** Where a source stands, as reported in the module twin's {@code sources.<name>.state}. */
public enum SourceState {
  /** Created, not yet connected or reading. */
  STARTING,
  /** Connected (or, for sources without a connection, reading). */
  CONNECTED,
  /** Lost its connection or could not make one; the source keeps trying. */
  DISCONNECTED,
  /** Reached the end of its data (a replay that does not loop). */
  FINISHED,
  /** Cannot go on without a new configuration (e.g. a replay file that does not exist). */
  FAILED,
  /** Closed. */
  STOPPED
}
