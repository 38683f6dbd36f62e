package io.edgeai4j.runtime.manifest;

/** A module's desired status in {@code $edgeAgent}. */
public enum ModuleStatus {
  /** Started by the runtime. */
  RUNNING,
  /** Not started; its routes, queues and twin still exist. */
  STOPPED
}
