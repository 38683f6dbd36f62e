package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code edge model dataset}: data directories from hand-written .npy files and from the simulator. */
class DatasetCommandTest {
  @TempDir Path dir;

  /** A NumPy 1.0 .npy file, laid out byte by byte. */
  static Path npy(Path file, String descr, boolean fortran, String shape, ByteBuffer data) throws Exception {
    StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': " + shape + ", }");
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
    b.put(data.array());
    return Files.write(file, b.array());
  }

  static ByteBuffer floats(int count) {
    ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      b.putFloat(i * 0.25f);
    }
    return b;
  }

  @Test
  void writesSetsFromNpyInputsAndLabels() throws Exception {
    Path x = npy(dir.resolve("x.npy"), "<f4", false, "(5, 3)", floats(15));
    ByteBuffer ids = ByteBuffer.allocate(5 * 2).order(ByteOrder.BIG_ENDIAN);
    for (short i = 0; i < 5; i++) {
      ids.putShort((short) (100 + i));
    }
    Path id = npy(dir.resolve("ids.npy"), ">i2", false, "(5,)", ids);
    ByteBuffer l = ByteBuffer.allocate(5 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : new long[] {2, 0, 1, 1, 0}) {
      l.putLong(v);
    }
    Path labels = npy(dir.resolve("labels.npy"), "<i8", false, "(5,)", l);
    Path out = dir.resolve("out");

    CliRun run = CliRun.of("model", "dataset", "--from-npy", x + "," + id, "--labels", labels.toString(),
        "--rows-per-set", "2", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("wrote 3 set(s), 5 rows (up to 2 per set) to " + out + " from 2 .npy file(s)\n"
        + "  input_0.pb: 'x', ONNX type 1, shape [rows, 3]\n"
        + "  input_1.pb: 'ids', ONNX type 5, shape [rows]\n"
        + "  labels.pb: int64, one class index per row\n");
    List<Double> xs = new ArrayList<>();
    List<Double> idValues = new ArrayList<>();
    List<Double> labelValues = new ArrayList<>();
    for (TestDataSets.DataSet set : TestDataSets.open(out)) {
      DataTensor in = set.inputs().get(0);
      assertThat(in.name()).isEqualTo("x");
      Arrays.stream(in.values()).forEach(xs::add);
      Arrays.stream(set.inputs().get(1).values()).forEach(idValues::add);
      Arrays.stream(set.labels().orElseThrow().values()).forEach(labelValues::add);
    }
    assertThat(xs).hasSize(15).element(14).isEqualTo(3.5);
    assertThat(idValues).containsExactly(100d, 101d, 102d, 103d, 104d);
    assertThat(labelValues).containsExactly(2d, 0d, 1d, 1d, 0d);

    CliRun again = CliRun.of("model", "dataset", "--from-npy", x.toString(), out.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(again.err()).isEqualTo("edge model dataset: OUT_DIR '" + out + "' exists and is not an empty"
        + " directory; refusing to mix new sets with what it holds\n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      Fortran order;      <f4; true;  (2, 3); 24; 65; "edge model dataset: @: the array is in Fortran order; expected C order (save it with numpy.ascontiguousarray)"
      object array;       |O;  false; (2, 3); 48; 65; "edge model dataset: @: dtype '|O' is not supported; expected float32/float64, int8..int64, uint8..uint64 or bool (e.g. '<f4'), not an object, string, complex or structured array"
      float labels;       <f4; false; (2,);    8; 65; "edge model dataset: '@' holds ONNX element type 1; expected an integer dtype of class indices (e.g. '<i8')"
      labels for 3 rows;  <i8; false; (3,);   24; 65; "edge model dataset: labels 'bad' have shape [3]; expected [2] (one class index per row)"
      """)
  void refusesNpyItCannotUseNamingTheFile(String what, String descr, boolean fortran, String shape, int bytes,
      int exit, String message) throws Exception {
    Path good = npy(dir.resolve("good.npy"), "<f4", false, "(2, 3)", floats(6));
    Path bad = npy(dir.resolve("bad.npy"), descr, fortran, shape, ByteBuffer.allocate(bytes));
    boolean asLabels = what.contains("labels");
    CliRun run = asLabels
        ? CliRun.of("model", "dataset", "--from-npy", good.toString(), "--labels", bad.toString(),
            dir.resolve("out").toString())
        : CliRun.of("model", "dataset", "--from-npy", bad.toString(), dir.resolve("out").toString());
    assertThat(run.exitCode()).isEqualTo(exit);
    assertThat(run.err()).isEqualTo(message.replace("@", bad.toString()) + "\n");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      no source;         ;                                          2; edge model dataset: give exactly one of --from-npy, --from-idx and --from-simulator
      both sources;      --from-npy x.npy --from-simulator features; 2; edge model dataset: give exactly one of --from-npy, --from-idx and --from-simulator
      npy and idx;       --from-npy x.npy --from-idx i.gz;          2; edge model dataset: give exactly one of --from-npy, --from-idx and --from-simulator
      idx and sim;       --from-idx i.gz --from-simulator windows;  2; edge model dataset: give exactly one of --from-npy, --from-idx and --from-simulator
      all three;         --from-idx i.gz --from-simulator windows --from-npy x.npy; 2; edge model dataset: give exactly one of --from-npy, --from-idx and --from-simulator
      labels with sim;   --from-simulator features --labels l.npy;  2; "edge model dataset: --labels goes with --from-npy or --from-idx; the simulator labels its rows itself"
      sim flag with npy; --from-npy x.npy --seconds 3;              2; edge model dataset: --seconds, --seed, --runs-per-class, --window and --hop go with --from-simulator, not --from-npy
      sim flag with idx; --from-idx i.gz --hop 3;                   2; edge model dataset: --seconds, --seed, --runs-per-class, --window and --hop go with --from-simulator, not --from-idx
      rows with npy;     --from-npy x.npy --rows 3;                 2; edge model dataset: --pixel-scale and --rows go with --from-idx, not --from-npy
      scale with sim;    --from-simulator windows --pixel-scale 1;  2; edge model dataset: --pixel-scale and --rows go with --from-idx, not --from-simulator
      zero scale;        --from-idx i.gz --pixel-scale 0;           2; "edge model dataset: --pixel-scale must be a positive number, found 0.0"
      NaN scale;         --from-idx i.gz --pixel-scale NaN;         2; "edge model dataset: --pixel-scale must be a positive number, found NaN"
      zero rows;         --from-idx i.gz --rows 0;                  2; "edge model dataset: --rows must be at least 1, found 0"
      missing idx;       --from-idx i.gz;                           66; edge model dataset: 'i.gz': no such file
      unknown kind;      --from-simulator spectra;                  2; "edge model dataset: --from-simulator 'spectra'; expected features or windows"
      short runs;        --from-simulator windows --seconds 1;      2; edge model dataset: --from-simulator windows: duration must be longer than the onset (2.0 s), found PT1S
      missing npy;       --from-npy x.npy;                          66; edge model dataset: 'x.npy': no such file
      """)
  void refusesContradictoryOptions(String what, String options, int exit, String message) {
    List<String> args = new ArrayList<>(List.of("model", "dataset"));
    if (options != null) {
      args.addAll(List.of(options.split(" ")));
    }
    args.add(dir.resolve("out").toString());
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(exit);
    assertThat(run.err()).isEqualTo(message + "\n");
  }

  @Test
  void writesSimulatedWindowsLabelledWithTheirFaultClass() throws Exception {
    Path out = dir.resolve("windows");
    CliRun run = CliRun.of("model", "dataset", "--from-simulator", "windows", "--seconds", "3", "--runs-per-class",
        "1", "--seed", "5", "--rows-per-set", "13", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("wrote 5 set(s), 65 rows (up to 13 per set) to " + out + " from the simulator"
        + " (windows, classes 0 normal, 1 imbalance, 2 misalignment, 3 outerRace, 4 innerRace)\n"
        + "  input_0.pb: 'window', ONNX type 1, shape [rows, 1, 2048]\n");
    // One run per class, 13 windows each, in class order: the first 8 windows end before the fault's onset at 2 s.
    int set = 0;
    for (TestDataSets.DataSet s : TestDataSets.open(out)) {
      double[] labels = s.labels().orElseThrow().values();
      for (int j = 0; j < 13; j++) {
        assertThat(labels[j]).as("set %d window %d", set, j).isEqualTo(j >= 8 ? set : 0);
      }
      set++;
    }
  }

  /** An IDX file of unsigned bytes (0, 0, 0x08, rank, big-endian int32 dimensions, values), gzip-compressed or not. */
  static Path idx(Path file, int[] shape, int[] values, boolean gzip) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + values.length);
    b.put(new byte[] {0, 0, 0x08, (byte) shape.length});
    for (int d : shape) {
      b.putInt(d);
    }
    for (int v : values) {
      b.put((byte) v);
    }
    if (!gzip) {
      return Files.write(file, b.array());
    }
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(z)) {
      out.write(b.array());
    }
    return Files.write(file, z.toByteArray());
  }

  /** Pixels 0..255 (above 127 included, so a signed read would show), different in every position. */
  static int[] pixels(int count) {
    int[] p = new int[count];
    Arrays.setAll(p, i -> (i * 53 + 200) % 256);
    return p;
  }

  static int[] ints(String listed) {
    return Arrays.stream(listed.trim().split(" +")).mapToInt(Integer::parseInt).toArray();
  }

  @ParameterizedTest(name = "images [{0}], gzip {1}, options [{2}]")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      5 3 4;   false; ;                                    5; 1; 1 3 4;   255
      5 3 4;   true;  --rows-per-set 2;                    5; 3; 1 3 4;   255
      5 3 4;   true;  --rows 3;                            3; 1; 1 3 4;   255
      5 3 4;   false; --pixel-scale 1 --rows-per-set 3;    5; 2; 1 3 4;   1
      5 3 4;   false; --pixel-scale 127.5 --rows 4;        4; 1; 1 3 4;   127.5
      3 28 28; true;  ;                                    3; 1; 1 28 28; 255
      6 7;     false; --rows 2 --rows-per-set 1;           2; 2; 7;       255
      """)
  void writesIdxImagesScaledWithTheirLabels(String dims, boolean gzip, String options, int rows, int sets,
      String rowShape, double scale) throws Exception {
    int[] shape = ints(dims);
    int[] values = pixels(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    int[] classes = new int[shape[0]];
    Arrays.setAll(classes, i -> (i * 7 + 3) % 10);
    String suffix = gzip ? "-ubyte.gz" : "-ubyte";
    Path images = idx(dir.resolve("images" + suffix), shape, values, gzip);
    Path labels = idx(dir.resolve("labels" + suffix), new int[] {shape[0]}, classes, gzip);
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("model", "dataset", "--from-idx", images.toString(), "--labels",
        labels.toString()));
    if (options != null) {
      args.addAll(List.of(options.trim().split(" +")));
    }
    args.add(out.toString());

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isZero();
    long[] perRow = Arrays.stream(ints(rowShape)).asLongStream().toArray();
    List<Double> read = new ArrayList<>();
    List<Double> readLabels = new ArrayList<>();
    for (TestDataSets.DataSet set : TestDataSets.open(out)) {
      DataTensor in = set.inputs().get(0);
      assertThat(in.name()).isEqualTo("input");
      assertThat(in.elementType()).as("float32").isEqualTo(1);
      long[] s = in.shape();
      assertThat(Arrays.copyOfRange(s, 1, s.length)).containsExactly(perRow);
      Arrays.stream(in.values()).forEach(read::add);
      Arrays.stream(set.labels().orElseThrow().values()).forEach(readLabels::add);
    }
    int rowSize = values.length / shape[0];
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < rows * rowSize; i++) {
      expected.add((double) (float) (values[i] / scale));
    }
    assertThat(read).containsExactlyElementsOf(expected);
    assertThat(readLabels).containsExactlyElementsOf(
        Arrays.stream(classes).limit(rows).asDoubleStream().boxed().toList());
    assertThat(TestDataSets.open(out).size()).isEqualTo(sets);
    assertThat(run.out()).startsWith("wrote " + sets + " set(s), " + rows + " rows ")
        .contains("  input_0.pb: 'input', ONNX type 1, shape [rows, " + rowShape.trim().replace(" ", ", ") + "]\n")
        .endsWith("  labels.pb: int64, one class index per row\n");
  }

  @Test
  void saysWhereTheIdxRowsCameFrom() throws Exception {
    Path images = idx(dir.resolve("t10k-images-idx3-ubyte"), new int[] {4, 2, 2}, pixels(16), false);
    Path out = dir.resolve("out");

    CliRun run = CliRun.of("model", "dataset", "--from-idx", images.toString(), "--rows", "3", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("wrote 1 set(s), 3 rows (up to 100 per set) to " + out + " from '" + images
        + "' (IDX [4, 2, 2], the first 3, pixel / 255)\n"
        + "  input_0.pb: 'input', ONNX type 1, shape [rows, 1, 2, 2]\n"
        + "  no labels\n");
    DataTensor in = TestDataSets.read(out.resolve("test_data_set_0")).inputs().get(0);
    assertThat(in.shape()).containsExactly(3, 1, 2, 2);
    assertThat(in.values()).containsExactly(Arrays.stream(pixels(12)).mapToDouble(p -> (float) (p / 255.0)).toArray());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      more labels than images;  5 2 2; 6;   ;        65; "edge model dataset: @L: holds 6 labels, '@I' holds 5 images; expected one label per image"
      fewer labels than images; 5 2 2; 4;   ;        65; "edge model dataset: @L: holds 4 labels, '@I' holds 5 images; expected one label per image"
      fewer labels with --rows; 5 2 2; 4;   --rows 2; 65; "edge model dataset: @L: holds 4 labels, '@I' holds 5 images; expected one label per image"
      labels of rank 2;         5 2 2; 5 1; ;        65; "edge model dataset: @L: IDX labels of shape [5, 1]; expected rank 1 [labels], one class index per image"
      images of rank 1;         5;     5;   ;        65; "edge model dataset: @I: IDX images of shape [5]; expected rank 3 [images, height, width] (written [rows, 1, height, width]) or rank 2 [images, values]"
      images of rank 4;         5 1 2 2; 5; ;        65; "edge model dataset: @I: IDX images of shape [5, 1, 2, 2]; expected rank 3 [images, height, width] (written [rows, 1, height, width]) or rank 2 [images, values]"
      more rows than images;    5 2 2; 5;   --rows 6; 65; "edge model dataset: @I: holds 5 images; --rows asks for the first 6"
      missing labels;           5 2 2; ;    ;        66; "edge model dataset: '@L': no such file"
      """)
  void refusesIdxFilesThatDoNotFitNamingTheFiles(String what, String imageDims, String labelDims, String options,
      int exit, String message) throws Exception {
    int[] shape = ints(imageDims);
    Path images = idx(dir.resolve("images.gz"), shape, pixels(Arrays.stream(shape).reduce(1, (a, b) -> a * b)), true);
    Path labels = dir.resolve("labels.gz");
    if (labelDims != null) {
      int[] l = ints(labelDims);
      idx(labels, l, new int[Arrays.stream(l).reduce(1, (a, b) -> a * b)], true);
    }
    List<String> args = new ArrayList<>(List.of("model", "dataset", "--from-idx", images.toString(), "--labels",
        labels.toString()));
    if (options != null) {
      args.addAll(List.of(options.trim().split(" +")));
    }
    args.add(dir.resolve("out").toString());

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(exit);
    assertThat(run.err()).isEqualTo(message.replace("@L", labels.toString()).replace("@I", images.toString()) + "\n");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void refusesAFileThatIsNotIdx() throws Exception {
    Path x = npy(dir.resolve("x.npy"), "<f4", false, "(2, 3)", floats(6));
    CliRun run = CliRun.of("model", "dataset", "--from-idx", x.toString(), dir.resolve("out").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).isEqualTo("edge model dataset: " + x + ": not an IDX file: it starts with 0x934e, an IDX"
        + " file with two zero bytes\n");
  }
}
