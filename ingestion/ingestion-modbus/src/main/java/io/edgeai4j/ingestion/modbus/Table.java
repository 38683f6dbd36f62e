package io.edgeai4j.ingestion.modbus;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The four Modbus data tables. Each has its own 0-based address space (0–65535) and read function;
 * registers hold 16 bits and are read at most 125 to a request, coils and discrete inputs hold one bit
 * and are read at most 2000 to a request.
 */
public enum Table {
  /** Read/write 16-bit registers, function 3; the "4xxxx" references (40001 is address 0). */
  HOLDING_REGISTER("holdingRegister", false, 125),
  /** Read-only 16-bit registers, function 4; the "3xxxx" references (30001 is address 0). */
  INPUT_REGISTER("inputRegister", false, 125),
  /** Read/write bits, function 1; the "0xxxx" references (00001 is address 0). */
  COIL("coil", true, 2000),
  /** Read-only bits, function 2; the "1xxxx" references (10001 is address 0). */
  DISCRETE_INPUT("discreteInput", true, 2000);

  private final String settingName;
  private final boolean bits;
  private final int maxPerRequest;

  Table(String settingName, boolean bits, int maxPerRequest) {
    this.settingName = settingName;
    this.bits = bits;
    this.maxPerRequest = maxPerRequest;
  }

  /** The name used in the settings, e.g. {@code holdingRegister}. */
  public String settingName() {
    return settingName;
  }

  /** Whether the table holds single bits (coils, discrete inputs) rather than 16-bit registers. */
  public boolean holdsBits() {
    return bits;
  }

  /** The most addresses one read request may cover (the protocol's limit). */
  public int maxPerRequest() {
    return maxPerRequest;
  }

  /** The table with this settings name, if any. */
  public static Optional<Table> fromSettingName(String name) {
    return Arrays.stream(values()).filter(t -> t.settingName.equals(name)).findFirst();
  }

  /** The settings names, for error messages. */
  static String settingNames() {
    return Arrays.stream(values()).map(Table::settingName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return settingName;
  }
}
