package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
      no source;         ;                                          2; edge model dataset: give exactly one of --from-npy and --from-simulator
      both sources;      --from-npy x.npy --from-simulator features; 2; edge model dataset: give exactly one of --from-npy and --from-simulator
      labels with sim;   --from-simulator features --labels l.npy;  2; "edge model dataset: --labels goes with --from-npy; the simulator labels its rows itself"
      sim flag with npy; --from-npy x.npy --seconds 3;              2; edge model dataset: --seconds, --seed, --runs-per-class, --window and --hop go with --from-simulator, not --from-npy
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
}
