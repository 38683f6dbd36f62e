package io.edgeai4j.ingestion.modbus;

import java.util.Objects;

/**
 * One sensor read from a Modbus table: where it lives, how its bits are laid out and how the raw
 * number becomes the reading ({@code value = raw * scale + offset}). Immutable; validated on
 * construction (the provider's parser checks each field first, so that its errors name the field).
 *
 * @param table The table the point is read from.
 * @param address The 0-based protocol address of the point's first register or bit (0–65535); the
 *     "40001" reference of a holding register is address 0.
 * @param dataType The layout of the raw value; {@link DataType#BOOL} for coils and discrete inputs
 *     only, a register type for registers only.
 * @param wordOrder For 32-bit types, which register holds the high word ({@code BIG}: the one at
 *     {@code address}); {@code BIG} for other types.
 * @param byteOrder For register types, which byte of each register is the high byte ({@code BIG}: the
 *     first on the wire, as the standard says); {@code BIG} for bits.
 * @param scale The factor applied to the raw value; finite and not 0; 1 for bits.
 * @param offset Added after scaling; finite; 0 for bits.
 * @param unit The unit of the reading, or null.
 */
public record ModbusPoint(Table table, int address, DataType dataType, Endianness wordOrder, Endianness byteOrder,
    double scale, double offset, String unit) {

  /** Validates. */
  public ModbusPoint {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(wordOrder, "wordOrder");
    Objects.requireNonNull(byteOrder, "byteOrder");
    if (table.holdsBits() != dataType.isBit()) {
      throw new IllegalArgumentException(mismatch(table, dataType));
    }
    if (address < 0 || address + width(dataType) - 1 > 0xFFFF) {
      throw new IllegalArgumentException(addressRange(address, dataType));
    }
    if (!dataType.isTwoWords() && wordOrder != Endianness.BIG) {
      throw new IllegalArgumentException("word order " + wordOrder + " applies to 32-bit types, not " + dataType);
    }
    if (dataType.isBit() && (byteOrder != Endianness.BIG || scale != 1 || offset != 0)) {
      throw new IllegalArgumentException("byte order, scale and offset do not apply to bool values");
    }
    if (!Double.isFinite(scale) || scale == 0) {
      throw new IllegalArgumentException("scale must be a finite number other than 0, found " + scale);
    }
    if (!Double.isFinite(offset)) {
      throw new IllegalArgumentException("offset must be a finite number, found " + offset);
    }
  }

  /** A point with default layout (big-endian words and bytes), scale 1, offset 0 and no unit. */
  public static ModbusPoint of(Table table, int address, DataType dataType) {
    return new ModbusPoint(table, address, dataType, Endianness.BIG, Endianness.BIG, 1, 0, null);
  }

  /** How many addresses the point covers: its registers, or 1 bit. */
  public int width() {
    return width(dataType);
  }

  /** The last address the point covers. */
  public int lastAddress() {
    return address + width() - 1;
  }

  /**
   * The reading's value from a read response that starts at {@code requestStart}: a {@link Boolean}
   * for bits, a scaled {@link Double} for registers.
   *
   * @param data The response's bytes: registers two bytes each, or bits packed eight to a byte, low bit first.
   * @param requestStart The first address the response covers.
   */
  Object decode(byte[] data, int requestStart) {
    int index = address - requestStart;
    if (dataType.isBit()) {
      return (data[index / 8] >> (index % 8) & 1) == 1;
    }
    return dataType.decode(data, index * 2, wordOrder, byteOrder) * scale + offset;
  }

  static int width(DataType dataType) {
    return dataType.isBit() ? 1 : dataType.registers();
  }

  static String mismatch(Table table, DataType dataType) {
    return table.holdsBits()
        ? "dataType " + dataType + " is a register type but table " + table + " holds bits: use bool"
        : "dataType " + dataType + " is a bit type but table " + table + " holds 16-bit registers: use one of "
            + "int16, uint16, int32, uint32, float32";
  }

  static String addressRange(int address, DataType dataType) {
    int width = width(dataType);
    return width == 1
        ? "address must be a 0-based address from 0 to 65535, found " + address
        : "address must be from 0 to " + (0x10000 - width) + " for " + dataType + " (" + width
            + " registers from the address on), found " + address;
  }
}
