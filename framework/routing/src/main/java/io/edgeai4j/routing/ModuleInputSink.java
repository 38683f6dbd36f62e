package io.edgeai4j.routing;

import java.util.Objects;

/**
 * A {@code BrokeredEndpoint("/modules/<moduleId>/inputs/<inputName>")} sink: messages go to an
 * input of a module on the same device.
 *
 * <p>Like edgeHub, the parser takes the module and input from the second and fourth {@code
 * /}-separated parts of the address and accepts empty parts; neither part can contain {@code /}.
 *
 * @param moduleId The target module.
 * @param inputName The target input of that module.
 */
public record ModuleInputSink(String moduleId, String inputName) implements Sink {
  /**
   * Validates the parts.
   *
   * @param moduleId The target module.
   * @param inputName The target input of that module.
   * @throws NullPointerException If a part is null.
   * @throws IllegalArgumentException If a part contains {@code /}.
   */
  public ModuleInputSink {
    Objects.requireNonNull(moduleId, "moduleId");
    Objects.requireNonNull(inputName, "inputName");
    if (moduleId.indexOf('/') >= 0 || inputName.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "moduleId and inputName cannot contain '/': " + moduleId + ", " + inputName);
    }
  }

  @Override
  public String endpointId() {
    return moduleId + "/" + inputName;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The address is double-quoted unless it contains a double quote, then single-quoted.
   */
  @Override
  public String toRouteText() {
    String address = "/modules/" + moduleId + "/inputs/" + inputName;
    char quote = address.indexOf('"') >= 0 ? '\'' : '"';
    return "BrokeredEndpoint(" + quote + address + quote + ")";
  }
}
