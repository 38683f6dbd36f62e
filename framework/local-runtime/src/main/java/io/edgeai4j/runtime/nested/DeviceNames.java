package io.edgeai4j.runtime.nested;

import java.util.regex.Pattern;

/** The device names a hierarchy accepts: IoT Hub device ids, without {@code =} (which ends the name on the command line). */
final class DeviceNames {
  /**
   * IoT Hub device ids: up to 128 ASCII letters, digits and {@code - . % _ * ? ! ( ) , : @ $ '}; IoT Hub also allows
   * {@code =}, which {@code --device NAME=MANIFEST} cannot carry.
   */
  static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9\\-.%_*?!(),:@$']{1,128}");

  private DeviceNames() {}

  static void require(String name, String what) {
    if (name == null || !DEVICE_ID.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' is not a device id: expected 1 to 128 ASCII"
          + " letters, digits or - . % _ * ? ! ( ) , : @ $ '");
    }
  }
}
