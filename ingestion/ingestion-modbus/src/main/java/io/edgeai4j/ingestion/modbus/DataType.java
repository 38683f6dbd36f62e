package io.edgeai4j.ingestion.modbus;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a point's raw data is read: a number spread over one or two 16-bit registers, or a single bit
 * of a coil or discrete input.
 */
public enum DataType {
  /** Signed 16-bit integer, one register. */
  INT16("int16", 1),
  /** Unsigned 16-bit integer, one register. */
  UINT16("uint16", 1),
  /** Signed 32-bit integer, two registers. */
  INT32("int32", 2),
  /** Unsigned 32-bit integer, two registers. */
  UINT32("uint32", 2),
  /** IEEE 754 single-precision float, two registers; NaN and infinities pass through. */
  FLOAT32("float32", 2),
  /** One bit of a coil or discrete input. */
  BOOL("bool", 0);

  private final String settingName;
  private final int registers;

  DataType(String settingName, int registers) {
    this.settingName = settingName;
    this.registers = registers;
  }

  /** The name used in the settings, e.g. {@code float32}. */
  public String settingName() {
    return settingName;
  }

  /** How many 16-bit registers a value takes; 0 for {@link #BOOL}. */
  public int registers() {
    return registers;
  }

  /** Whether the type is a single bit, read from coils and discrete inputs only. */
  public boolean isBit() {
    return this == BOOL;
  }

  /** Whether the value spans two registers, so that the word order matters. */
  public boolean isTwoWords() {
    return registers == 2;
  }

  /**
   * Decodes the value whose first register starts at {@code byteOffset} in {@code data} (registers as
   * they came off the wire, two bytes each).
   *
   * @param data The register bytes of a read response.
   * @param byteOffset Where the value's first register starts.
   * @param wordOrder Which register holds the high 16 bits of a 32-bit value ({@code BIG}: the first).
   * @param byteOrder Which byte of each register is the high byte ({@code BIG}: the first).
   * @return The raw value as a double (exact for every 16- and 32-bit integer).
   */
  double decode(byte[] data, int byteOffset, Endianness wordOrder, Endianness byteOrder) {
    int first = register(data, byteOffset, byteOrder);
    switch (this) {
      case INT16:
        return (short) first;
      case UINT16:
        return first;
      case INT32:
      case UINT32:
      case FLOAT32:
        int second = register(data, byteOffset + 2, byteOrder);
        int bits = wordOrder == Endianness.BIG ? first << 16 | second : second << 16 | first;
        if (this == INT32) {
          return bits;
        }
        return this == UINT32 ? Integer.toUnsignedLong(bits) : Float.intBitsToFloat(bits);
      default:
        throw new IllegalStateException(this + " is not a register type");
    }
  }

  private static int register(byte[] data, int at, Endianness byteOrder) {
    int first = data[at] & 0xFF;
    int second = data[at + 1] & 0xFF;
    return byteOrder == Endianness.BIG ? first << 8 | second : second << 8 | first;
  }

  /** The type with this settings name, if any. */
  public static Optional<DataType> fromSettingName(String name) {
    return Arrays.stream(values()).filter(t -> t.settingName.equals(name)).findFirst();
  }

  /** The settings names, for error messages. */
  static String settingNames() {
    return Arrays.stream(values()).map(DataType::settingName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return settingName;
  }
}
