package io.edgeai4j.module;

import java.util.Objects;

/**
 * Who a module is: its device and its module id.
 *
 * @param deviceId The IoT Edge device id.
 * @param moduleId The module id, as named in the deployment manifest.
 */
public record ModuleIdentity(String deviceId, String moduleId) {
  /** Validates the fields. */
  public ModuleIdentity {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(moduleId, "moduleId");
  }

  @Override
  public String toString() {
    return deviceId + "/" + moduleId;
  }
}
