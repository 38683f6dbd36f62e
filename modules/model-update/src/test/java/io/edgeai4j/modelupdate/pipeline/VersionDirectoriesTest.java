package io.edgeai4j.modelupdate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moves of version directories into and out of the repository, on one file store and across two. */
class VersionDirectoriesTest {
  @TempDir Path dir;

  private static void writeVersion(Path version, String content) throws IOException {
    Files.createDirectories(version.resolve("sub"));
    Files.writeString(version.resolve("model.onnx"), content);
    Files.writeString(version.resolve("sub/extra.bin"), "extra");
  }

  private static List<String> entries(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void copyThenRenameLeavesTheWholeTreeAndNoIncomingName() throws Exception {
    Path from = dir.resolve("from");
    writeVersion(from, "v3");
    Path target = dir.resolve("repo/m/3");

    VersionDirectories.copyThenRename(from, target);

    assertThat(target.resolve("model.onnx")).hasContent("v3");
    assertThat(target.resolve("sub/extra.bin")).hasContent("extra");
    assertThat(entries(dir.resolve("repo/m"))).containsExactly("3");
  }

  @Test
  void aCopyThatCannotBeRenamedIsDeletedAndTheTargetIsLeftAlone() throws Exception {
    Path from = dir.resolve("from");
    writeVersion(from, "new");
    Path target = dir.resolve("repo/m/3");
    writeVersion(target, "old");

    assertThatThrownBy(() -> VersionDirectories.copyThenRename(from, target)).isInstanceOf(IOException.class);

    assertThat(target.resolve("model.onnx")).hasContent("old");
    assertThat(entries(dir.resolve("repo/m"))).containsExactly("3");
  }

  @Test
  void installPrefersTheStagedCopyAndArchivesADirectoryAlreadyInTheRepository() throws Exception {
    VersionDirectories d = new VersionDirectories("m", dir.resolve("repo"), dir.resolve("state"));
    writeVersion(d.served(2), "old");
    writeVersion(d.staging(2), "new");
    d.stage(2);
    assertThat(d.staging(2)).doesNotExist();

    d.install(2);

    assertThat(d.served(2).resolve("model.onnx")).hasContent("new");
    assertThat(d.archived(2).resolve("model.onnx")).hasContent("old");
    assertThat(d.staged(2)).doesNotExist();
    assertThat(d.install(2)).as("idempotent: already in the repository").isEqualTo(d.served(2));
  }

  @Test
  void installOfAVersionNeitherStagedNorArchivedSaysWhereItLooked() {
    VersionDirectories d = new VersionDirectories("m", dir.resolve("repo"), dir.resolve("state"));
    assertThatThrownBy(() -> d.install(7)).isInstanceOf(IOException.class)
        .hasMessage("version 7 of model m is neither staged (" + d.staged(7) + ") nor archived (" + d.archived(7)
            + ")");
    assertThat(d.installable(7)).isFalse();
  }

  @Test
  void acrossFileStoresVersionsAreCopiedInAndOutUnderIgnoredNames() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm)
        && !Files.getFileStore(shm).equals(Files.getFileStore(dir)), "needs /dev/shm on another file store");
    Path repository = Files.createTempDirectory(shm, "edgeai4j-repo");
    try {
      VersionDirectories d = new VersionDirectories("m", repository, dir.resolve("state"));
      writeVersion(d.staging(2), "v2");
      d.stage(2);

      d.install(2);
      assertThat(d.served(2).resolve("sub/extra.bin")).hasContent("extra");
      assertThat(d.staged(2)).doesNotExist();
      assertThat(entries(repository.resolve("m"))).containsExactly("2");

      d.archive(2);
      assertThat(d.archived(2).resolve("model.onnx")).hasContent("v2");
      assertThat(entries(repository.resolve("m"))).as("no .outgoing left").isEmpty();
      assertThat(entries(d.archived(2).getParent())).containsExactly("2");

      d.install(2);
      assertThat(d.served(2).resolve("model.onnx")).hasContent("v2");
      assertThat(d.archived(2)).doesNotExist();
    } finally {
      VersionDirectories.deleteTree(repository);
    }
  }
}
