package io.edgeai4j.deployment;

/** How bad a manifest problem is. */
public enum Severity {
  /** The device would reject the deployment or a module would not work: the manifest is invalid. */
  ERROR,
  /** Deployable, but probably not what was meant (e.g. a restart policy edgeAgent does not implement). */
  WARNING
}
