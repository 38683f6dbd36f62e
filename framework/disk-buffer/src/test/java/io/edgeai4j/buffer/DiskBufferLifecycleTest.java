package io.edgeai4j.buffer;

import static io.edgeai4j.buffer.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class DiskBufferLifecycleTest {
  @TempDir
  Path directory;

  private DiskBufferOptions options() {
    return DiskBufferOptions.builder(directory).segmentBytes(1024).maxBytes(64 * 1024).build();
  }

  @Test
  void aSecondOpenOfTheSameDirectoryInThisProcessFailsNamingTheDirectory() throws Exception {
    try (DiskBuffer first = DiskBuffer.open(options())) {
      first.append(record(0, 10));

      assertThatThrownBy(() -> DiskBuffer.open(options()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Disk buffer directory " + directory)
          .hasMessageContaining("already open in this process");

      assertThat(first.peek()).isEqualTo(record(0, 10)); // the first one is unharmed
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFromAnotherProcessFailsNamingTheDirectory() throws Exception {
    Process holder = new ProcessBuilder(javaExecutable(), "-Dslf4j.internal.verbosity=ERROR", "-cp", classPath(),
        HoldBufferOpen.class.getName(), directory.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader output =
          new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(CompletableFuture.supplyAsync(() -> readLine(output)).get(20, TimeUnit.SECONDS)).isEqualTo("open");

      assertThatThrownBy(() -> DiskBuffer.open(options()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Disk buffer directory " + directory)
          .hasMessageContaining("in use by another process");

      holder.getOutputStream().close();
      assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(holder.exitValue()).isZero();
    } finally {
      holder.destroyForcibly();
    }
    try (DiskBuffer buffer = DiskBuffer.open(options())) {
      assertThat(buffer.peek()).containsExactly(1, 2, 3); // what the other process appended
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This module's classes, its test classes and slf4j-api: all the second JVM needs. */
  private static String classPath() throws Exception {
    return String.join(File.pathSeparator, codeSource(DiskBuffer.class), codeSource(HoldBufferOpen.class),
        codeSource(LoggerFactory.class));
  }

  private static String codeSource(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void closeIsIdempotentAndReleasesTheDirectory() throws Exception {
    DiskBuffer buffer = DiskBuffer.open(options());
    buffer.append(record(0, 10));
    buffer.close();
    buffer.close();

    try (DiskBuffer reopened = DiskBuffer.open(options())) {
      assertThat(reopened.peek()).isEqualTo(record(0, 10));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"append", "peek", "remove"})
  void usingAClosedBufferIsAnErrorNamingItsDirectory(String operation) throws Exception {
    DiskBuffer buffer = DiskBuffer.open(options());
    buffer.append(record(0, 10));
    buffer.close();

    assertThatThrownBy(() -> {
      switch (operation) {
        case "append" -> buffer.append(record(1, 10));
        case "peek" -> buffer.peek();
        default -> buffer.remove();
      }
    }).isInstanceOf(IllegalStateException.class).hasMessage("Disk buffer " + directory + " is closed");
    assertThat(buffer.size()).as("counters stay readable").isEqualTo(1);
  }

  @Test
  void awaitRecordWakesWhenARecordArrivesOrTheBufferCloses() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(options())) {
      assertThat(buffer.awaitRecord(Duration.ofMillis(10))).isFalse();

      CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(buffer, Duration.ofSeconds(20)));
      buffer.append(record(0, 10));
      assertThat(waiting.get(20, TimeUnit.SECONDS)).isTrue();
      assertThat(buffer.awaitRecord(Duration.ZERO)).isTrue();
    }
    DiskBuffer buffer = DiskBuffer.open(options());
    buffer.remove();
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(buffer, Duration.ofMinutes(5)));
    buffer.close();
    assertThat(waiting.get(20, TimeUnit.SECONDS)).as("woken by close").isFalse();
  }

  private static boolean await(DiskBuffer buffer, Duration timeout) {
    try {
      return buffer.awaitRecord(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void leavesNoFileOpenAfterCloseOrAFailedOpen() throws Exception {
    Path fds = Path.of("/proc/self/fd");
    assumeThat(Files.isDirectory(fds)).as("Linux /proc").isTrue();
    Path corrupt = directory.resolve("corrupt");
    Files.createDirectories(corrupt);
    Files.write(Segment.fileOf(corrupt, 0), new byte[16]);
    DiskBufferOptions corruptOptions = DiskBufferOptions.builder(corrupt).build();
    DiskBuffer.open(options()).close(); // load the classes first
    long before = openFiles(fds);

    for (int i = 0; i < 5; i++) {
      try (DiskBuffer buffer = DiskBuffer.open(options())) {
        for (int r = 0; r < 20; r++) {
          buffer.append(record(r, 100));
        }
        buffer.peek();
        buffer.remove();
      }
      assertThatThrownBy(() -> DiskBuffer.open(corruptOptions)).isInstanceOf(IOException.class);
    }

    assertThat(openFiles(fds)).isEqualTo(before);
  }

  private static long openFiles(Path fds) throws IOException {
    try (Stream<Path> open = Files.list(fds)) {
      return open.count();
    }
  }
}
