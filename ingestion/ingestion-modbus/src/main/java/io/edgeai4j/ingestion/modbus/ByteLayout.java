package io.edgeai4j.ingestion.modbus;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The "byte swap" names that device manuals use, as the {@code order} shorthand of a point. The
 * letters name the bytes of the value from most significant (A) to least, in the order they arrive on
 * the wire: {@code CDAB} means the register at the point's address carries C and D, so the low word
 * comes first. Four-letter layouts apply to 32-bit types, two-letter ones to 16-bit types.
 */
public enum ByteLayout {
  /** Big-endian words and bytes: the Modbus convention. */
  ABCD(Endianness.BIG, Endianness.BIG, true),
  /** Low word first, bytes big-endian ("word swap"). */
  CDAB(Endianness.LITTLE, Endianness.BIG, true),
  /** High word first, bytes swapped within each register ("byte swap"). */
  BADC(Endianness.BIG, Endianness.LITTLE, true),
  /** Fully little-endian. */
  DCBA(Endianness.LITTLE, Endianness.LITTLE, true),
  /** A 16-bit value, high byte first. */
  AB(Endianness.BIG, Endianness.BIG, false),
  /** A 16-bit value, low byte first. */
  BA(Endianness.BIG, Endianness.LITTLE, false);

  private final Endianness wordOrder;
  private final Endianness byteOrder;
  private final boolean twoWords;

  ByteLayout(Endianness wordOrder, Endianness byteOrder, boolean twoWords) {
    this.wordOrder = wordOrder;
    this.byteOrder = byteOrder;
    this.twoWords = twoWords;
  }

  public Endianness wordOrder() {
    return wordOrder;
  }

  public Endianness byteOrder() {
    return byteOrder;
  }

  /** The layout with this name that fits {@code dataType}, if any. */
  static Optional<ByteLayout> fromName(String name, DataType dataType) {
    return Arrays.stream(values()).filter(l -> l.name().equals(name) && l.twoWords == dataType.isTwoWords())
        .findFirst();
  }

  /** The names that fit {@code dataType}, for error messages. */
  static String namesFor(DataType dataType) {
    return Arrays.stream(values()).filter(l -> l.twoWords == dataType.isTwoWords()).map(Enum::name)
        .collect(Collectors.joining(", "));
  }
}
