package io.edgeai4j.runtime;

/** How the local runtime treats a manifest module. */
public enum ModuleRole {
  /** Run in-process by an edgeai4j module implementation. */
  STARTED,
  /** Its image is not an edgeai4j module: not started, but its routes, queues and twin exist. */
  EXTERNAL,
  /** Its status is {@code stopped}: not started. */
  STOPPED
}
