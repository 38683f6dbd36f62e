package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.testing.OnnxTestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelPackageTest {
  static final long MAX = 1 << 20;

  @TempDir Path dir;
  Path model;
  Path descriptor;
  Path golden;

  @BeforeEach
  void files() throws IOException {
    model = OnnxTestModels.random(dir.resolve("model.onnx"), 16, 4, 42);
    descriptor = Files.writeString(dir.resolve("model.json"), "{\"inputs\":[]}");
    golden = Files.writeString(dir.resolve("golden.json"), "{\"samples\":[]}");
  }

  @Test
  void writeThenUnpackGivesTheSameFiles() throws Exception {
    Path zip = ModelPackage.write(dir.resolve("package.zip"), model, descriptor, golden);
    UnpackedPackage unpacked = ModelPackage.unpack(zip, dir.resolve("out/3"), MAX);
    assertThat(unpacked.directory()).isEqualTo(dir.resolve("out/3"));
    assertThat(unpacked.model()).hasSameBinaryContentAs(model).hasFileName("model.onnx");
    assertThat(unpacked.descriptor()).hasSameBinaryContentAs(descriptor).hasFileName("model.json");
    assertThat(unpacked.golden()).hasSameBinaryContentAs(golden).hasFileName("golden.json");
    try (var listing = Files.list(unpacked.directory())) {
      assertThat(listing).hasSize(3);
    }
  }

  @Test
  void goldenIsOptional() throws Exception {
    Path zip = ModelPackage.write(dir.resolve("package.zip"), model, descriptor, null);
    UnpackedPackage unpacked = ModelPackage.unpack(zip, dir.resolve("out"), MAX);
    assertThat(unpacked.golden()).isNull();
    assertThat(unpacked.directory().resolve("golden.json")).doesNotExist();
  }

  @Test
  void writingIsDeterministicAcrossTimeZonesAndFileTimes() throws Exception {
    String first = Sha256.of(ModelPackage.write(dir.resolve("a.zip"), model, descriptor, golden));
    Files.setLastModifiedTime(model, java.nio.file.attribute.FileTime.fromMillis(0));
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      String second = Sha256.of(ModelPackage.write(dir.resolve("b.zip"), model, descriptor, golden));
      assertThat(second).isEqualTo(first);
    } finally {
      TimeZone.setDefault(original);
    }
    Files.writeString(descriptor, "{\"inputs\":[1]}");
    assertThat(Sha256.of(ModelPackage.write(dir.resolve("c.zip"), model, descriptor, golden))).isNotEqualTo(first);
  }

  /** A ZIP with these entries (a name ending in / is a directory entry). */
  Path zip(String name, Map<String, byte[]> entries) throws IOException {
    Path zip = dir.resolve(name);
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
    return zip;
  }

  static Map<String, byte[]> entries(String... namesAndTexts) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      entries.put(namesAndTexts[i], namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      models/                 | entry 'models/' is a directory; expected only the files model.onnx, model.json, golden.json at the top level
      models/model.onnx       | entry 'models/model.onnx' has a path; expected only the files model.onnx, model.json, golden.json at the top level
      ../model.onnx           | entry '../model.onnx' has a path; expected only the files model.onnx, model.json, golden.json at the top level
      /model.onnx             | entry '/model.onnx' has a path; expected only the files model.onnx, model.json, golden.json at the top level
      ..\\model.onnx          | entry '..\\model.onnx' has a path; expected only the files model.onnx, model.json, golden.json at the top level
      ..                      | entry '..' has a path; expected only the files model.onnx, model.json, golden.json at the top level
      README.md               | entry 'README.md' is unknown; expected only model.onnx, model.json, golden.json
      MODEL.ONNX              | entry 'MODEL.ONNX' is unknown; expected only model.onnx, model.json, golden.json
      """)
  void refusesABadEntryAndWritesNothing(String badEntry, String message) throws Exception {
    Path zip = zip("bad.zip", entries("model.onnx", "m", "model.json", "{}", badEntry, "x"));
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> ModelPackage.unpack(zip, out, MAX))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessage(message);
    assertThat(out).doesNotExist();
  }

  @ParameterizedTest(name = "missing {0}")
  @CsvSource(textBlock = """
      model.onnx, model.json, golden.json
      model.json, model.onnx, golden.json
      """)
  void refusesAMissingRequiredEntry(String missing, String present, String optional) throws Exception {
    Path zip = zip("bad.zip", entries(present, "x", optional, "{}"));
    assertThatThrownBy(() -> ModelPackage.unpack(zip, dir.resolve("out"), MAX))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessage("entry '" + missing + "' is missing; a package needs model.onnx and model.json");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void refusesADuplicateEntry() throws Exception {
    // ZipOutputStream refuses duplicates, so write model.onnY and rename it in the local and central headers
    Path zip = zip("dup.zip", entries("model.onnx", "a", "model.json", "{}", "model.onnY", "b"));
    byte[] bytes = Files.readAllBytes(zip);
    String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("model.onnY", "model.onnx");
    Files.write(zip, text.getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> ModelPackage.unpack(zip, dir.resolve("out"), MAX))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessage("entry 'model.onnx' appears more than once");
  }

  @Test
  void refusesAFileThatIsNotAZip() throws Exception {
    Path notZip = Files.writeString(dir.resolve("package.zip"), "this is not a zip file");
    assertThatThrownBy(() -> ModelPackage.unpack(notZip, dir.resolve("out"), MAX))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessageStartingWith("package package.zip is not a ZIP file: ");
    Path empty = Files.write(dir.resolve("empty.zip"), new byte[0]);
    assertThatThrownBy(() -> ModelPackage.unpack(empty, dir.resolve("out"), MAX))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessageStartingWith("package empty.zip is not a ZIP file: ");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void refusesAZipBombWithoutWritingIt() throws Exception {
    Path zip = dir.resolve("bomb.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("model.json"));
      out.write("{}".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("model.onnx"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 50; i++) {
        out.write(zeros);
      }
      out.closeEntry();
    }
    assertThat(Files.size(zip)).isLessThan(200_000);
    Path existing = Files.createDirectories(dir.resolve("staging"));
    assertThatThrownBy(() -> ModelPackage.unpack(zip, existing, MAX))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessage("entry 'model.onnx' inflates to more than 1048576 bytes, the most one entry may have");
    assertThat(existing).isEmptyDirectory(); // the partial model.onnx was deleted; the directory was already there
  }

  @Test
  void refusesEntriesThatTogetherExceedTheLimit() throws Exception {
    Path zip = zip("big.zip", entries("model.onnx", "x".repeat(600), "model.json", "y".repeat(600)));
    assertThatThrownBy(() -> ModelPackage.unpack(zip, dir.resolve("out"), 1000))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessage("entry 'model.json' takes the package over 1000 bytes, the most all entries together may have");
    assertThat(dir.resolve("out")).doesNotExist();
    assertThat(ModelPackage.unpack(zip, dir.resolve("out"), 1200).model()).hasSize(600);
  }

  @Test
  void refusesACorruptEntry() throws Exception {
    Path zip = zip("corrupt.zip", entries("model.onnx", "a".repeat(64), "model.json", "{}"));
    byte[] bytes = Files.readAllBytes(zip);
    bytes[14] ^= 0x55; // the CRC-32 in model.onnx's local header is not checked; flip it in the central directory
    int central = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("PK\u0001\u0002");
    bytes[central + 16] ^= 0x55;
    Files.write(zip, bytes);
    assertThatThrownBy(() -> ModelPackage.unpack(zip, dir.resolve("out"), MAX))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessageStartingWith("entry 'model.onnx' is corrupt: CRC-32 ");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void neverOverwritesFilesAlreadyThere() throws Exception {
    Path zip = ModelPackage.write(dir.resolve("package.zip"), model, descriptor, null);
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("model.json"), "mine");
    assertThatThrownBy(() -> ModelPackage.unpack(zip, out, MAX)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(out.resolve("model.json")).hasContent("mine");
    assertThat(out.resolve("model.onnx")).doesNotExist();
  }

  @Test
  void writeLeavesNoPartialPackageWhenAnInputIsMissing() {
    Path zip = dir.resolve("package.zip");
    assertThatThrownBy(() -> ModelPackage.write(zip, model, descriptor, dir.resolve("absent.json")))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(zip).doesNotExist();
  }

  @Test
  void writeCopiesTheModelByteForByte() throws Exception {
    Path zip = ModelPackage.write(dir.resolve("package.zip"), model, descriptor, golden);
    try (var zipFile = new java.util.zip.ZipFile(zip.toFile())) {
      assertThat(zipFile.stream().map(ZipEntry::getName)).containsExactly("model.onnx", "model.json", "golden.json");
      try (var in = zipFile.getInputStream(zipFile.getEntry("model.onnx"))) {
        assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(model));
      }
    }
  }
}
