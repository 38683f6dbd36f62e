package io.edgeai4j.optimize.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IDX files written byte by byte here (plain and gzip), and Debian's Fashion-MNIST test files when installed. */
class IdxFilesTest {
  /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
  static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path dir;

  /** An IDX file of unsigned bytes: 0, 0, 0x08, the rank, each dimension as a big-endian int32, then the values. */
  static byte[] idx(int[] shape, byte[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + values.length);
    b.put(new byte[] {0, 0, 0x08, (byte) shape.length});
    for (int d : shape) {
      b.putInt(d);
    }
    return b.put(values).array();
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(plain);
    }
    return out.toByteArray();
  }

  @ParameterizedTest(name = "shape [{0}], gzip {1}")
  @CsvSource(delimiter = ';', textBlock = """
      3 2 2; false
      3 2 2; true
      5;     false
      5;     true
      2 3;   true
      0 4 4; false
      """)
  void readsShapeAndUnsignedValuesPlainOrGzip(String dims, boolean gzip) throws Exception {
    int[] shape = Arrays.stream(dims.split(" ")).mapToInt(Integer::parseInt).toArray();
    int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    byte[] values = new byte[count];
    int[] expected = new int[count];
    for (int i = 0; i < count; i++) {
      expected[i] = (i * 37 + 200) % 256; // 200..255 then wraps: bytes above 127 must read back unsigned
      values[i] = (byte) expected[i];
    }
    byte[] plain = idx(shape, values);
    Path file = Files.write(dir.resolve(gzip ? "a-ubyte.gz" : "a-ubyte"), gzip ? gzip(plain) : plain);

    IdxFiles.UnsignedBytes read = IdxFiles.read(file);

    assertThat(read.shape()).containsExactly(shape);
    assertThat(read.values()).containsExactly(expected);
    assertThat(read.rows()).isEqualTo(shape[0]);
    assertThat(read.rowSize()).isEqualTo(count == 0 ? 16 : count / shape[0]);
  }

  @ParameterizedTest(name = "{0}, gzip {2}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      not IDX (NumPy magic);  93 4e 55 4d 50 59 01 00;                      false; "not an IDX file: it starts with 0x934e, an IDX file with two zero bytes"
      not IDX (08 03 first);  08 03 00 00 00 02 01 02;                      true;  "not an IDX file: it starts with 0x0803, an IDX file with two zero bytes"
      int32 elements;         00 00 0c 01 00 00 00 01 00 00 00 07;          false; "IDX element type 0x0c, expected 0x08 (unsigned byte, as in MNIST and Fashion-MNIST)"
      float elements;         00 00 0d 01 00 00 00 01 3f 80 00 00;          true;  "IDX element type 0x0d, expected 0x08 (unsigned byte, as in MNIST and Fashion-MNIST)"
      rank 0;                 00 00 08 00 07;                               false; "IDX header with 0 dimensions, expected at least 1"
      empty file;             ;                                             false; "ends inside its 4-byte IDX header (zero, zero, type, dimensions)"
      header cut;             00 00 08;                                     true;  "ends inside its 4-byte IDX header (zero, zero, type, dimensions)"
      dimensions cut;         00 00 08 03 00 00 00 02 00 00;                false; "ends inside its IDX header: 3 dimensions announced, 1 found"
      negative dimension;     00 00 08 02 00 00 00 02 ff ff ff ff;          false; "IDX dimension 1 is negative: 4294967295"
      over 2^31 - 1 values;   00 00 08 02 00 01 00 00 00 01 00 00;          false; "IDX shape [65536, 65536] holds more than 2^31 - 1 values"
      short data;             00 00 08 02 00 00 00 02 00 00 00 03 01 02 03 04 05;       false; "holds 5 of the 6 values of its shape [2, 3]"
      short data;             00 00 08 02 00 00 00 02 00 00 00 03 01 02 03 04 05;       true;  "holds 5 of the 6 values of its shape [2, 3]"
      header announces 2^30;  00 00 08 01 40 00 00 00 01 02;                false; "holds 2 of the 1073741824 values of its shape [1073741824]"
      trailing bytes;         00 00 08 02 00 00 00 02 00 00 00 03 01 02 03 04 05 06 07; false; "holds more bytes than the 6 values of its shape [2, 3]"
      trailing bytes;         00 00 08 01 00 00 00 01 01 02;                true;  "holds more bytes than the 1 values of its shape [1]"
      """)
  void refusesWhatIsNotAnIdxFileOfUnsignedBytesNamingWhatItFound(String what, String hex, boolean gzip,
      String message) throws Exception {
    byte[] plain = hex == null ? new byte[0] : HexFormat.ofDelimiter(" ").parseHex(hex);
    Path file = Files.write(dir.resolve("bad"), gzip ? gzip(plain) : plain);
    assertThatThrownBy(() -> IdxFiles.read(file)).isInstanceOf(DataSetException.class)
        .hasMessage(file + ": " + message);
  }

  @Test
  void refusesATruncatedGzipStream() throws Exception {
    byte[] z = gzip(idx(new int[] {4, 28, 28}, new byte[4 * 28 * 28]));
    Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(z, z.length - 12));
    assertThatThrownBy(() -> IdxFiles.read(file)).isInstanceOf(DataSetException.class)
        .hasMessageStartingWith(file + ": is a truncated gzip stream: ");
  }

  @Test
  void refusesAMissingFile() {
    Path file = dir.resolve("t10k-images-idx3-ubyte.gz");
    assertThatThrownBy(() -> IdxFiles.read(file)).isInstanceOf(DataSetException.class)
        .hasMessage(file + ": no such file");
  }

  // The Debian package dataset-fashion-mnist installs these; .ci/run installs it. Where it is absent (a developer's
  // machine without it) the two checks below are skipped, not failed.
  @Test
  void readsFashionMnistTestLabelsThousandOfEachClass() throws Exception {
    Path file = FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz");
    assumeTrue(Files.isRegularFile(file), file + " absent: apt-get install dataset-fashion-mnist");

    IdxFiles.UnsignedBytes labels = IdxFiles.read(file);

    assertThat(labels.shape()).containsExactly(10_000);
    int[] perClass = new int[10];
    for (int v : labels.values()) {
      assertThat(v).isBetween(0, 9);
      perClass[v]++;
    }
    assertThat(perClass).containsOnly(1000);
  }

  @Test
  void readsFashionMnistTestImagesOf28By28() throws Exception {
    Path file = FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz");
    assumeTrue(Files.isRegularFile(file), file + " absent: apt-get install dataset-fashion-mnist");

    IdxFiles.UnsignedBytes images = IdxFiles.read(file);

    assertThat(images.shape()).containsExactly(10_000, 28, 28);
    assertThat(images.rowSize()).isEqualTo(784);
    assertThat(images.values()).hasSize(7_840_000);
    assertThat(Arrays.stream(images.values()).max().orElseThrow()).isEqualTo(255);
  }
}
