package io.edgeai4j.ingestion.modbus;

import java.util.Arrays;
import java.util.Optional;

/** Which part comes first: the most significant ({@link #BIG}) or the least significant ({@link #LITTLE}). */
public enum Endianness {
  /** Most significant first: the Modbus standard for the bytes of a register. */
  BIG("bigEndian"),
  /** Least significant first. */
  LITTLE("littleEndian");

  private final String settingName;

  Endianness(String settingName) {
    this.settingName = settingName;
  }

  /** The name used in the settings: {@code bigEndian} or {@code littleEndian}. */
  public String settingName() {
    return settingName;
  }

  /** The value with this settings name, if any. */
  public static Optional<Endianness> fromSettingName(String name) {
    return Arrays.stream(values()).filter(e -> e.settingName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return settingName;
  }
}
