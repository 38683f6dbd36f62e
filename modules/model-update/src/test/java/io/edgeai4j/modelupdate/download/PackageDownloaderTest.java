package io.edgeai4j.modelupdate.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeai4j.modelupdate.PackageServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The downloader alone, against a real loopback HTTP server with injected faults. */
class PackageDownloaderTest {
  private static final int SIZE = 200_000;

  @TempDir Path dir;
  private PackageServer server;
  private final List<PackageDownloader> downloaders = new CopyOnWriteArrayList<>();
  private byte[] file;
  private URI uri;
  private Path part;

  @BeforeEach
  void serve() throws Exception {
    server = new PackageServer();
    file = new byte[SIZE];
    new SplittableRandom(7).nextBytes(file);
    uri = server.put("/models/m/1/package.zip", file);
    part = dir.resolve("downloads/m/1.part");
  }

  @AfterEach
  void close() {
    downloaders.forEach(PackageDownloader::close);
    server.close();
  }

  private PackageDownloader downloader(long timeoutMillis, DiskSpace space) {
    return downloader(DownloadSettings.of(1_000_000L, 10L, 40L, timeoutMillis), space);
  }

  private PackageDownloader downloader(DownloadSettings settings, DiskSpace space) {
    PackageDownloader d = new PackageDownloader(settings, space);
    downloaders.add(d);
    return d;
  }

  private PackageDownloader downloader() {
    return downloader(5_000, DiskSpace.FILE_STORE);
  }

  /** One {@link RetryListener#retrying} call. */
  private record Retry(long failures, RetryReason reason, String error, Instant nextAttemptAt, long atNanos) {}

  /** Records the retries; after {@code cancelAfter} of them, {@link #cancelled()} turns true. */
  private static class Retries implements RetryListener {
    final List<Retry> seen = new CopyOnWriteArrayList<>();
    final List<Long> attempts = new CopyOnWriteArrayList<>();
    private final int cancelAfter;

    Retries(int cancelAfter) {
      this.cancelAfter = cancelAfter;
    }

    @Override
    public void attempting(long failures) {
      attempts.add(failures);
    }

    @Override
    public void retrying(long failures, RetryReason reason, String error, Instant nextAttemptAt) {
      seen.add(new Retry(failures, reason, error, nextAttemptAt, System.nanoTime()));
    }

    boolean cancelled() {
      return seen.size() >= cancelAfter;
    }

    List<RetryReason> reasons() {
      return seen.stream().map(Retry::reason).toList();
    }
  }

  @Test
  void aCutBodyIsResumedWithARangeFromTheBytesOnDisk() throws Exception {
    server.fault(new PackageServer.Cut(70_000), new PackageServer.Cut(50_000));
    AtomicLong received = new AtomicLong();
    List<long[]> progress = new CopyOnWriteArrayList<>();
    downloader().download(uri, SIZE, part, new DownloadProgress() {
      @Override
      public void update(long bytes, long total) {
        progress.add(new long[] {bytes, total});
      }

      @Override
      public void received(long bytes) {
        received.addAndGet(bytes);
      }
    }, () -> false);

    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(server.ranges()).containsExactly("", "bytes=70000-", "bytes=120000-");
    assertThat(received.get()).isEqualTo(SIZE);
    assertThat(progress).last().satisfies(p -> assertThat(p).containsExactly(SIZE, SIZE));
  }

  @Test
  void aPartFileLeftByAnEarlierRunIsResumed() throws Exception {
    Files.createDirectories(part.getParent());
    Files.write(part, java.util.Arrays.copyOf(file, 12_345));
    downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(server.ranges()).containsExactly("bytes=12345-");
  }

  @Test
  void aServerThatIgnoresTheRangeRestartsFromByteZero() throws Exception {
    Files.createDirectories(part.getParent());
    byte[] stale = new byte[3000];
    java.util.Arrays.fill(stale, (byte) 0x55);
    Files.write(part, stale);
    server.fault(new PackageServer.IgnoreRange());
    downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).as("the 200 body replaced the part, not appended").isEqualTo(file);
    assertThat(server.ranges()).containsExactly("bytes=3000-");
  }

  @ParameterizedTest(name = "{0} is retried as {1}")
  @CsvSource({"503, SERVER_ERROR", "500, SERVER_ERROR", "502, SERVER_ERROR", "408, REQUEST_TIMEOUT",
      "429, TOO_MANY_REQUESTS"})
  void aTransientStatusIsRetriedWithBackoffUntilTheServerServes(int status, RetryReason reason) throws Exception {
    server.fault(new PackageServer.Cut(30_000));
    for (int i = 0; i < 6; i++) {
      server.fault(new PackageServer.Status(status));
    }
    Retries retries = new Retries(Integer.MAX_VALUE);
    downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false, RetryPoint.START, retries);

    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(retries.reasons()).as("more than download.retries used to allow (5), no limit")
        .containsExactly(RetryReason.CUT, reason, reason, reason, reason, reason, reason);
    assertThat(retries.seen).extracting(Retry::failures).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(retries.attempts).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(retries.seen.get(1).error()).isEqualTo("status " + status + " from 127.0.0.1" + uri.getPath()
        + ", expected 200 or 206");
    assertThat(server.ranges()).as("every retry resumes the part").containsExactly("", "bytes=30000-",
        "bytes=30000-", "bytes=30000-", "bytes=30000-", "bytes=30000-", "bytes=30000-", "bytes=30000-");
  }

  @ParameterizedTest(name = "{0} fails at once")
  @CsvSource({"404", "403", "400", "410"})
  void aClientErrorFailsAtOnceKeepingThePart(int status) throws Exception {
    server.fault(new PackageServer.Cut(30_000), new PackageServer.Status(status));
    Retries retries = new Retries(Integer.MAX_VALUE);
    assertThatThrownBy(() -> downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false,
        RetryPoint.START, retries))
        .isInstanceOf(DownloadException.class)
        .hasMessage("status " + status + " from 127.0.0.1" + uri.getPath() + ", expected 200 or 206 (a client "
            + "error, not retried; a renewed URI is tried again)");
    assertThat(server.ranges()).hasSize(2);
    assertThat(retries.reasons()).containsExactly(RetryReason.CUT);
    assertThat(part).as("kept for a renewed URI").hasSize(30_000);
  }

  @Test
  void aServerThatIsDownIsRetriedAndTheDownloadResumesWhenItComesBack() throws Exception {
    server.fault(new PackageServer.Cut(70_000));
    Retries retries = new Retries(Integer.MAX_VALUE) {
      @Override
      public void retrying(long failures, RetryReason reason, String error, Instant nextAttemptAt) {
        super.retrying(failures, reason, error, nextAttemptAt);
        if (failures == 1) {
          // Down after the cut, before the next attempt: connections refused.
          server.down();
        }
      }
    };
    java.util.concurrent.CompletableFuture<Void> running = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false, RetryPoint.START, retries);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> retries.reasons().stream()
        .filter(r -> r == RetryReason.CONNECTION).count() >= 4);
    server.up();
    running.get(20, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(server.ranges()).containsExactly("", "bytes=70000-");
    assertThat(retries.seen.get(1).error()).startsWith("request failed: java.net.ConnectException");
  }

  @Test
  void retryAfterIsHonouredUpToTheLongestBackoff() throws Exception {
    server.fault(new PackageServer.RetryAfter(503, "1"), new PackageServer.RetryAfter(429, "3600"),
        new PackageServer.RetryAfter(503, "soon"));
    Retries retries = new Retries(Integer.MAX_VALUE);
    long start = System.nanoTime();
    downloader(DownloadSettings.of(1_000_000L, 10L, 1_500L, 5_000L), DiskSpace.FILE_STORE)
        .download(uri, SIZE, part, DownloadProgress.NONE, () -> false, RetryPoint.START, retries);
    long total = System.nanoTime() - start;

    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    List<Retry> seen = retries.seen;
    assertThat(seen).hasSize(3);
    assertThat(Duration.between(Instant.now(), seen.get(0).nextAttemptAt()).plusNanos(System.nanoTime()
        - seen.get(0).atNanos())).as("Retry-After: 1 over a 10 ms backoff").isBetween(Duration.ofMillis(900),
        Duration.ofMillis(1_100));
    assertThat(Duration.between(Instant.now(), seen.get(1).nextAttemptAt()).plusNanos(System.nanoTime()
        - seen.get(1).atNanos())).as("Retry-After: 3600 capped at maxBackoffMillis 1500")
        .isBetween(Duration.ofMillis(1_400), Duration.ofMillis(1_600));
    assertThat(Duration.between(Instant.now(), seen.get(2).nextAttemptAt()).plusNanos(System.nanoTime()
        - seen.get(2).atNanos())).as("an unreadable Retry-After: the backoff (40 ms at most)")
        .isLessThan(Duration.ofMillis(200));
    assertThat(total).as("waited both").isGreaterThan(2_400_000_000L);
  }

  @Test
  void aRetryPointFromAnEarlierRunWaitsTheRestOfItsWaitAndContinuesTheBackoff() throws Exception {
    server.fault(new PackageServer.Status(503));
    Retries retries = new Retries(Integer.MAX_VALUE);
    DownloadSettings settings = new DownloadSettings(1_000_000L, Duration.ofMillis(10), Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofSeconds(5));
    long start = System.nanoTime();
    downloader(settings, DiskSpace.FILE_STORE).download(uri, SIZE, part, DownloadProgress.NONE, () -> false,
        new RetryPoint(5, Instant.now().plusMillis(500)), retries);

    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(retries.attempts).containsExactly(5L, 6L);
    Retry retry = retries.seen.get(0);
    assertThat(retry.failures()).isEqualTo(6);
    assertThat(retry.atNanos() - start).as("the rest of the saved wait first").isGreaterThan(450_000_000L);
    // The 6th failure waits 10 ms x 2^5 = 320 ms, of which at least half (jitter 0.5).
    assertThat(Duration.between(Instant.now(), retry.nextAttemptAt()).plusNanos(System.nanoTime() - retry.atNanos()))
        .isBetween(Duration.ofMillis(150), Duration.ofMillis(340));
  }

  @Test
  void aFullDiskWhileWritingIsRetriedKeepingThePartAndResumesWhenThereIsRoom() throws Exception {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full, a device whose writes fail with ENOSPC");
    Files.createDirectories(part.getParent());
    Files.createSymbolicLink(part, full);
    Retries retries = new Retries(Integer.MAX_VALUE) {
      @Override
      public void retrying(long failures, RetryReason reason, String error, Instant nextAttemptAt) {
        super.retrying(failures, reason, error, nextAttemptAt);
        if (failures == 3) {
          try {
            Files.delete(part);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    };
    downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false, RetryPoint.START, retries);

    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(retries.reasons()).containsExactly(RetryReason.DISK_FULL, RetryReason.DISK_FULL,
        RetryReason.DISK_FULL);
    assertThat(retries.seen.get(0).error()).startsWith("writing " + part + " failed at byte 0: ")
        .contains("No space left on device");
  }

  @Test
  void retriesThenSuccessWhenTheServerRecovers() throws Exception {
    server.fault(new PackageServer.Status(503), new PackageServer.Cut(1000), new PackageServer.Status(429));
    downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(server.ranges()).containsExactly("", "", "bytes=1000-", "bytes=1000-");
  }

  @Test
  void aContentLengthOverTheReleasesSizeIsRefusedAndThePartDeleted() {
    assertThatThrownBy(() -> downloader().download(uri, SIZE - 1, part, DownloadProgress.NONE, () -> false))
        .isInstanceOf(DownloadException.class)
        .hasMessage("Content-Length " + SIZE + " is over the release's size " + (SIZE - 1));
    assertThat(part).doesNotExist();
    assertThat(server.ranges()).as("not retried").hasSize(1);
  }

  @Test
  void aBodyWithoutLengthIsCutOffOneByteOverTheSize() {
    server.fault(new PackageServer.NoLength());
    assertThatThrownBy(() -> downloader().download(uri, 100_000, part, DownloadProgress.NONE, () -> false))
        .isInstanceOf(DownloadException.class)
        .hasMessage("the body is longer than the release's size 100000 bytes");
    assertThat(part).doesNotExist();
  }

  @Test
  void aSizeOverMaxPackageBytesIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> downloader().download(uri, 1_000_001, part, DownloadProgress.NONE, () -> false))
        .isInstanceOf(DownloadException.class)
        .hasMessage("size 1000001 is over download.maxPackageBytes 1000000");
    assertThat(server.ranges()).isEmpty();
  }

  @Test
  void tooLittleFreeSpaceIsRetriedWithoutARequestUntilThereIsRoom() throws Exception {
    long needed = 2L * SIZE + PackageDownloader.FREE_SPACE_MARGIN_BYTES;
    AtomicLong usable = new AtomicLong(needed - 1);
    Retries retries = new Retries(Integer.MAX_VALUE) {
      @Override
      public void retrying(long failures, RetryReason reason, String error, Instant nextAttemptAt) {
        super.retrying(failures, reason, error, nextAttemptAt);
        assertThat(server.ranges()).as("no request while the disk is full").isEmpty();
        if (failures == 3) {
          usable.set(needed);
        }
      }
    };
    downloader(5_000, d -> usable.get()).download(uri, SIZE, part, DownloadProgress.NONE, () -> false,
        RetryPoint.START, retries);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(retries.reasons()).containsExactly(RetryReason.DISK_FULL, RetryReason.DISK_FULL,
        RetryReason.DISK_FULL);
    assertThat(retries.seen.get(0).error()).startsWith("free space: ")
        .contains("has " + (needed - 1) + " bytes usable, the package needs " + needed);
    assertThat(server.ranges()).containsExactly("");
  }

  @Test
  void justEnoughFreeSpaceIsAccepted() throws Exception {
    long needed = 2L * SIZE + PackageDownloader.FREE_SPACE_MARGIN_BYTES;
    downloader(5_000, d -> needed).download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
  }

  @Test
  void aStalledBodyIsAbandonedAfterTheTimeoutAndResumed() throws Exception {
    server.fault(new PackageServer.Pause(40_000, 3_000));
    long start = System.nanoTime();
    downloader(300, DiskSpace.FILE_STORE).download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(server.ranges()).containsExactly("", "bytes=40000-");
    assertThat(System.nanoTime() - start).as("did not wait for the stalled body").isLessThan(2_900_000_000L);
  }

  @Test
  void aWriteFailureFailsAtOnceAndRemovesThePart() throws Exception {
    Files.createDirectories(part);
    assertThatThrownBy(() -> downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false))
        .isInstanceOf(DownloadException.class)
        .hasMessageStartingWith("cannot write " + part);
    assertThat(part).doesNotExist();
    assertThat(server.ranges()).hasSize(1);
  }

  @Test
  void aCancelledDownloadStopsAndKeepsItsPart() throws Exception {
    server.fault(new PackageServer.Cut(50_000));
    AtomicLong attempts = new AtomicLong();
    assertThatThrownBy(() -> downloader().download(uri, SIZE, part, DownloadProgress.NONE,
        () -> server.ranges().size() >= 1 && attempts.incrementAndGet() > 3 && Files.exists(part)))
        .isInstanceOf(InterruptedException.class);
    assertThat(part).exists();
  }

  @Test
  void aCompletePartSendsNoRequestSoARestartWhileVerifyingDoesNotFail() throws Exception {
    Files.createDirectories(part.getParent());
    Files.write(part, file);
    List<long[]> progress = new CopyOnWriteArrayList<>();
    downloader(5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part, (bytes, total) ->
        progress.add(new long[] {bytes, total}), () -> false);
    assertThat(server.ranges()).as("no request, so no 416").isEmpty();
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(progress).last().satisfies(p -> assertThat(p).containsExactly(SIZE, SIZE));
  }

  @Test
  void a416ThatDoesNotConfirmThePartDeletesItAndStartsFromByteZero() throws Exception {
    Files.createDirectories(part.getParent());
    Files.write(part, java.util.Arrays.copyOf(file, 150_000));
    server.fault(new PackageServer.Status(416));
    downloader(5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(server.ranges()).containsExactly("bytes=150000-", "");
  }

  @Test
  void aResumeCarriesIfRangeSoBytesRepublishedMeanwhileReplaceThePart() throws Exception {
    server.fault(new PackageServer.Cut(70_000));
    Retries firstRun = new Retries(1);
    assertThatThrownBy(() -> downloader().download(uri, SIZE, part, DownloadProgress.NONE, firstRun::cancelled,
        RetryPoint.START, firstRun)).isInstanceOf(InterruptedException.class);
    assertThat(part).hasSize(70_000);
    byte[] republished = new byte[SIZE];
    new SplittableRandom(8).nextBytes(republished);
    server.put("/models/m/1/package.zip", republished);

    downloader().download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).as("not the old head with the new tail").isEqualTo(republished);
    assertThat(server.ranges()).containsExactly("", "bytes=70000-");
    assertThat(server.ifRanges()).containsExactly("", PackageServer.etag(file));
    assertThat(PackageDownloader.validatorFile(part)).as("deleted once complete").doesNotExist();
  }

  @Test
  void aCancelledDownloadStopsDuringItsBackoffNotAfterIt() {
    server.fault(new PackageServer.Status(503));
    PackageDownloader slow = new PackageDownloader(DownloadSettings.of(1_000_000L, 10_000L, 10_000L, 5_000L),
        DiskSpace.FILE_STORE);
    downloaders.add(slow);
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.download(uri, SIZE, part, DownloadProgress.NONE,
        () -> System.nanoTime() - start > 300_000_000L)).isInstanceOf(InterruptedException.class);
    assertThat(System.nanoTime() - start).as("did not sleep the 10 s backoff out").isLessThan(5_000_000_000L);
    assertThat(server.ranges()).hasSize(1);
  }

  @Test
  void progressIsReportedAtMostOncePerIntervalFiveSecondsByDefault() throws Exception {
    assertThat(DownloadSettings.DEFAULT.progressInterval()).hasSeconds(5);
    server.fault(new PackageServer.Pause(40_000, 1_300));
    List<Long> updates = new CopyOnWriteArrayList<>();
    downloader(5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part, (bytes, total) -> updates.add(bytes),
        () -> false);
    assertThat(updates).as("only the final report within 1.3 s").containsExactly((long) SIZE);
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  @Test
  void closeWhenIdleLetsARunningDownloadFinishThenStopsTheClientsThreads() throws Exception {
    server.fault(new PackageServer.Pause(40_000, 500));
    PackageDownloader d = downloader();
    java.util.concurrent.CompletableFuture<Void> running = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        d.download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> threadsNamed(d.threadNamePrefix()) > 0 && Files.exists(part));
    d.closeWhenIdle();
    running.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> threadsNamed(d.threadNamePrefix()) == 0);
  }
}
