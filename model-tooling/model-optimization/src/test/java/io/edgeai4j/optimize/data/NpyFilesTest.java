package io.edgeai4j.optimize.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code .npy} files written byte by byte here, as NumPy lays them out (format 1.0, 2.0, 3.0). */
class NpyFilesTest {
  @TempDir Path dir;

  /** A .npy file: magic, version, header length (2 bytes in v1, 4 in v2/v3), the header padded to 64, the data. */
  static byte[] npy(int major, String header, byte[] data) {
    int prefix = major == 1 ? 10 : 12;
    StringBuilder h = new StringBuilder(header);
    while ((prefix + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    byte[] headerBytes = h.toString().getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(prefix + headerBytes.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) headerBytes.length);
    } else {
      b.putInt(headerBytes.length);
    }
    return b.put(headerBytes).put(data).array();
  }

  static String header(String descr, boolean fortran, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape
        + ", }";
  }

  /** The values encoded as the descr says (its byte order, kind and size), independently of the reader. */
  static byte[] encode(String descr, double[] values) {
    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int size = Integer.parseInt(descr.substring(2));
    ByteBuffer b = ByteBuffer.allocate(values.length * size).order(order);
    for (double v : values) {
      switch (descr.substring(1)) {
        case "f4" -> b.putFloat((float) v);
        case "f8" -> b.putDouble(v);
        case "i8" -> b.putLong((long) v);
        case "u8" -> b.putLong(v >= 0x1p63 ? (long) (v - 0x1p63) | Long.MIN_VALUE : (long) v);
        case "i4", "u4" -> b.putInt((int) (long) v);
        case "i2", "u2" -> b.putShort((short) (long) v);
        default -> b.put((byte) (long) v);
      }
    }
    return b.array();
  }

  @ParameterizedTest(name = "{0} v{1} -> ONNX type {2}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      <f4; 1; 1;  1.5 -2.25 0 3.0e10 -1 7
      >f4; 2; 1;  1.5 -2.25 0 3.0e10 -1 7
      <f8; 3; 11; 0.1 -1e300 2.5 0 -0 1
      >f8; 1; 11; 0.1 -1e300 2.5 0 -0 1
      |i1; 1; 3;  -128 127 0 -1 5 6
      |u1; 2; 2;  255 0 128 1 2 3
      <i2; 1; 5;  -32768 32767 0 -1 300 4
      >u2; 1; 4;  65535 0 40000 1 2 3
      <i4; 1; 6;  -2147483648 2147483647 0 -1 70000 8
      >u4; 3; 12; 4294967295 0 3000000000 1 2 3
      <i8; 1; 7;  -9007199254740992 9007199254740992 0 -1 5 6
      >i8; 1; 7;  -9007199254740992 9007199254740992 0 -1 5 6
      <u8; 1; 13; 18446744073709551616 0 9223372036854775808 1 2 3
      |b1; 1; 9;  1 0 0 1 1 0
      """)
  void readsEveryNumericDtypeInBothByteOrdersAndEveryVersion(String descr, int major, int onnxType, String listed)
      throws Exception {
    double[] values = Arrays.stream(listed.trim().split(" +")).mapToDouble(Double::parseDouble).toArray();
    Path file = Files.write(dir.resolve("rows.npy"), npy(major, header(descr, false, "(2, 3)"), encode(descr, values)));

    DataTensor t = NpyFiles.read(file);

    assertThat(t.name()).isEqualTo("rows");
    assertThat(t.elementType()).isEqualTo(onnxType);
    assertThat(t.shape()).containsExactly(2, 3);
    double[] expected = descr.endsWith("f4") ? Arrays.stream(values).map(v -> (float) v).toArray() : values;
    assertThat(t.values()).containsExactly(expected);
  }

  @ParameterizedTest(name = "shape {0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      ();        ;  1
      (4,);      4; 4
      (2, 0, 3); 2 0 3; 0
      (1, 2, 2); 1 2 2; 4
      """)
  void readsScalarsVectorsAndEmptyArrays(String shape, String dims, int count) throws Exception {
    double[] values = new double[count];
    Arrays.setAll(values, i -> i + 1);
    Path file = Files.write(dir.resolve("a.npy"), npy(1, header("<f8", false, shape), encode("<f8", values)));
    long[] expected = dims == null ? new long[0] : Arrays.stream(dims.trim().split(" ")).mapToLong(Long::parseLong)
        .toArray();
    DataTensor t = NpyFiles.read(file);
    assertThat(t.shape()).containsExactly(expected);
    assertThat(t.values()).containsExactly(values);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      Fortran order;     1; {'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }; 24; "the array is in Fortran order; expected C order"
      object array;      1; {'descr': '|O', 'fortran_order': False, 'shape': (2, 3), };  48; dtype '|O' is not supported
      complex;           1; {'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }; 48; dtype '<c8' is not supported
      float16;           1; {'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }; 12; dtype '<f2' is not supported
      unicode strings;   1; {'descr': '<U5', 'fortran_order': False, 'shape': (2, 3), }; 120; dtype '<U5' is not supported
      structured;        1; {'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3), }; 24; the dtype is a structured array
      no shape;          1; {'descr': '<f4', 'fortran_order': False, }; 24; the .npy header has no 'shape'
      data too short;    1; {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }; 20; shape [2, 3] of dtype '<f4' needs 24 data bytes, found 20
      data too long;     2; {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }; 28; shape [2, 3] of dtype '<f4' needs 24 data bytes, found 28
      version 4;         4; {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }; 24; ".npy format version 4 is not supported; expected 1, 2 or 3"
      """)
  void refusesWhatItCannotReadNamingWhatItFound(String what, int major, String header, int dataBytes, String message)
      throws Exception {
    Path file = Files.write(dir.resolve("bad.npy"), npy(major, header, new byte[dataBytes]));
    assertThatThrownBy(() -> NpyFiles.read(file)).isInstanceOf(DataSetException.class)
        .hasMessageStartingWith(file + ": ").hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      not numpy;  PK a zip file
      empty;
      """)
  void refusesFilesThatAreNotNpy(String what, String content) throws Exception {
    Path file = Files.writeString(dir.resolve(what.replace(' ', '_') + ".npy"), content == null ? "" : content);
    assertThatThrownBy(() -> NpyFiles.read(file)).isInstanceOf(DataSetException.class)
        .hasMessage(file + ": not a .npy file: it does not start with \\x93NUMPY");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      a bool that is neither 0 nor 1; |b1; 2; "a bool element holds 2; expected 0 or 1"
      """)
  void refusesValuesOutsideTheDtype(String what, String descr, int value, String message) throws Exception {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.write(value);
    Path file = Files.write(dir.resolve("b.npy"), npy(1, header(descr, false, "(1,)"), data.toByteArray()));
    assertThatThrownBy(() -> NpyFiles.read(file)).hasMessage(file + ": " + message);
  }
}
