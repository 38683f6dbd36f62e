package io.edgeai4j.runtime;

/** How the local runtime treats a manifest module. */
public enum ModuleRole {
  /** Run in-process by an edgeai4j module implementation. */
  STARTED,
  /**
   * An edgeai4j module that the runtime does not start in-process ({@link RuntimeOptions#processModules()}): it runs
   * as its own process (e.g. {@code edge run --modules-as-processes}) and connects over MQTT; its routes, queues and
   * twin exist as for {@link #EXTERNAL}.
   */
  PROCESS,
  /** Its image is not an edgeai4j module: not started, but its routes, queues and twin exist. */
  EXTERNAL,
  /** Its status is {@code stopped}: not started. */
  STOPPED
}
