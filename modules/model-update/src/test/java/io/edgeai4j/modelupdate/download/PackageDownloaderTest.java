package io.edgeai4j.modelupdate.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.modelupdate.PackageServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  private PackageDownloader downloader(int retries, long timeoutMillis, DiskSpace space) {
    PackageDownloader d = new PackageDownloader(DownloadSettings.of(1_000_000L, retries, 10L, 40L, timeoutMillis),
        space);
    downloaders.add(d);
    return d;
  }

  private PackageDownloader downloader() {
    return downloader(3, 5_000, DiskSpace.FILE_STORE);
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

  @Test
  void failedAttemptsAreRetriedThenTheDownloadFailsNamingTheLastOne() throws Exception {
    server.fault(new PackageServer.Status(503), new PackageServer.Status(503), new PackageServer.Status(500));
    assertThatThrownBy(() -> downloader(2, 5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part,
        DownloadProgress.NONE, () -> false))
        .isInstanceOf(DownloadException.class)
        .hasMessageContaining("after 3 attempts (download.retries 2)")
        .hasMessageContaining("status 500");
    assertThat(server.ranges()).hasSize(3);
  }

  @Test
  void retriesThenSuccessWhenTheServerRecovers() throws Exception {
    server.fault(new PackageServer.Status(503), new PackageServer.Cut(1000), new PackageServer.Status(404));
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
  void tooLittleFreeSpaceIsRefusedBeforeAnyRequest() {
    long needed = 2L * SIZE + PackageDownloader.FREE_SPACE_MARGIN_BYTES;
    assertThatThrownBy(() -> downloader(3, 5_000, d -> needed - 1).download(uri, SIZE, part, DownloadProgress.NONE,
        () -> false))
        .isInstanceOf(DownloadException.class)
        .hasMessageStartingWith("free space: ")
        .hasMessageContaining("has " + (needed - 1) + " bytes usable, the package needs " + needed);
    assertThat(server.ranges()).isEmpty();
  }

  @Test
  void justEnoughFreeSpaceIsAccepted() throws Exception {
    long needed = 2L * SIZE + PackageDownloader.FREE_SPACE_MARGIN_BYTES;
    downloader(3, 5_000, d -> needed).download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
  }

  @Test
  void aStalledBodyIsAbandonedAfterTheTimeoutAndResumed() throws Exception {
    server.fault(new PackageServer.Pause(40_000, 3_000));
    long start = System.nanoTime();
    downloader(3, 300, DiskSpace.FILE_STORE).download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
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
    downloader(0, 5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part, (bytes, total) ->
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
    downloader(1, 5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part, DownloadProgress.NONE, () -> false);
    assertThat(Files.readAllBytes(part)).isEqualTo(file);
    assertThat(server.ranges()).containsExactly("bytes=150000-", "");
  }

  @Test
  void aResumeCarriesIfRangeSoBytesRepublishedMeanwhileReplaceThePart() throws Exception {
    server.fault(new PackageServer.Cut(70_000));
    assertThatThrownBy(() -> downloader(0, 5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part,
        DownloadProgress.NONE, () -> false)).isInstanceOf(DownloadException.class);
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
    PackageDownloader slow = new PackageDownloader(DownloadSettings.of(1_000_000L, 3, 10_000L, 10_000L, 5_000L),
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
    downloader(3, 5_000, DiskSpace.FILE_STORE).download(uri, SIZE, part, (bytes, total) -> updates.add(bytes),
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
