package io.edgeai4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link WritableDirectory} on real directories under a temporary directory. A directory without write permission
 * stops only a process that is not root (root writes through permissions), so that one case is skipped when the
 * tests run as root; a path through a file fails for root too.
 */
class WritableDirectoryTest {
  private static final String FIX = "Fix: mount a named volume there (createOptions HostConfig \"Mounts\": [{\"Type\":"
      + " \"volume\", \"Source\": \"<name>\", \"Target\": \"";

  @TempDir
  Path temp;

  @Test
  void createsAMissingDirectoryAndLeavesNothingInIt() throws Exception {
    Path spill = temp.resolve("sensor-ingestion/spill");

    Path checked = WritableDirectory.require(spill, "the spill buffer (SPILL_DIRECTORY)");

    assertThat(checked).isEqualTo(spill.toAbsolutePath()).isDirectory().isEmptyDirectory();
  }

  @Test
  void anExistingWritableDirectoryKeepsItsFiles() throws Exception {
    Files.writeString(temp.resolve("segment-1"), "data");

    assertThat(WritableDirectory.require(temp, "the state")).isEqualTo(temp.toAbsolutePath());
    assertThat(temp).isDirectoryContaining(p -> p.getFileName().toString().equals("segment-1"));
    assertThat(Files.list(temp)).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      the directory is a file  | state       | state       | is not a directory
      a file on its path       | state/spill | state       | , on its path, is not a directory
      a file two levels up     | a/b/c       | a           | , on its path, is not a directory
      """)
  void aPathThroughAFileFailsNamingIt(String name, String directory, String file, String expected) throws Exception {
    Files.writeString(temp.resolve(file), "not a directory");
    Path wanted = temp.resolve(directory);

    assertThatThrownBy(() -> WritableDirectory.require(wanted, "the state (STATE_DIRECTORY)"))
        .isInstanceOf(DirectoryNotWritableException.class)
        .hasMessageStartingWith("Directory " + wanted + " (the state (STATE_DIRECTORY)) cannot be created: "
            + temp.resolve(file) + (expected.startsWith(",") ? "" : " ") + expected)
        .satisfies(e -> assertThat(((DirectoryNotWritableException) e).directory()).isEqualTo(wanted));
  }

  @Test
  void aReadOnlyDirectoryNamesTheUidTheOwnerAndTheFix() throws Exception {
    assumeFalse(WritableDirectory.processUid() == 0, "running as root, which writes through permissions");
    Path models = Files.createDirectory(temp.resolve("models"));
    Files.setPosixFilePermissions(models, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      int uid = WritableDirectory.processUid();
      assertThatThrownBy(() -> WritableDirectory.require(models, "the model repository (MODEL_REPOSITORY)"))
          .isInstanceOf(DirectoryNotWritableException.class)
          .hasMessageContaining("Directory " + models + " (the model repository (MODEL_REPOSITORY)) is not writable:"
              + " permission denied; the module runs as uid " + uid + " and " + models + " is owned by uid " + uid)
          .hasMessageContaining("mode r-xr-xr-x")
          .hasMessageContaining(FIX + models + "\"}]")
          .hasMessageEndingWith("sudo chown -R 10001:10001 <host directory>");
    } finally {
      Files.setPosixFilePermissions(models, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aMissingDirectoryUnderAReadOnlyOneNamesTheParentsOwner() throws Exception {
    assumeFalse(WritableDirectory.processUid() == 0, "running as root, which writes through permissions");
    Path shared = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("r-xr-x---"));
    try {
      Path state = shared.resolve("model-update");
      assertThatThrownBy(() -> WritableDirectory.require(state, "the state (STATE_DIRECTORY)"))
          .isInstanceOf(DirectoryNotWritableException.class)
          .hasMessageContaining("Directory " + state + " (the state (STATE_DIRECTORY)) cannot be created:"
              + " permission denied in " + shared)
          .hasMessageContaining(shared + " is owned by uid ")
          .hasMessageContaining("mode r-xr-x---");
    } finally {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void theUidIsReadFromTheProcess() {
    assertThat(WritableDirectory.processUid()).isGreaterThanOrEqualTo(0);
  }
}
