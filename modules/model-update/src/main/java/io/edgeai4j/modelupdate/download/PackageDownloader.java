package io.edgeai4j.modelupdate.download;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one package to a {@code .part} file with {@link HttpClient}: checks free space first, resumes what
 * is already there with {@code Range: bytes=<have>-} (a {@code 206} appends, a {@code 200} starts again from
 * byte 0; a part already holding {@code size} bytes sends no request; a {@code 416} whose {@code Content-Range:
 * bytes *&#47;N} says the part is the whole package completes it, any other deletes the part and the next attempt
 * starts from byte 0; a resumed request carries {@code If-Range} with the strong ETag, else Last-Modified, of the
 * response the part began with, kept in {@code <part>.validator}, so that other bytes on the server answer 200 and
 * replace the part), retries a failed attempt (connection error, cut body, or another status) with exponential
 * backoff up to {@link DownloadSettings#retries()} times, and refuses a body longer than the release's size
 * (reading stops at size + 1 bytes). A body that stops flowing for {@link DownloadSettings#timeout()} is a failed
 * attempt.
 *
 * <p>Thread-safe: downloads may run at once on different threads. Owns its HTTP client and the client's executor
 * threads, which {@link #close()} (or {@link #closeWhenIdle()}) stops; the client's selector thread ends when it is
 * unreachable (JDK 17's client has no close).
 */
public final class PackageDownloader implements AutoCloseable {
  /** Free space kept beyond what the package and its unpacked copy need, bytes. */
  public static final long FREE_SPACE_MARGIN_BYTES = 16L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(PackageDownloader.class);
  private static final long BACKOFF_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final DownloadSettings settings;
  private final DiskSpace diskSpace;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final HttpClient client;
  private final ExecutorService executor;
  private final String threadNamePrefix;
  // Guarded by this.
  private int inFlight;
  private boolean closeWhenIdle;

  /**
   * Creates a downloader.
   *
   * @param settings Limits, retries and timeouts.
   * @param diskSpace Where the free space of the downloads directory comes from.
   */
  public PackageDownloader(DownloadSettings settings, DiskSpace diskSpace) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.diskSpace = Objects.requireNonNull(diskSpace, "diskSpace");
    this.threadNamePrefix = "package-download-" + INSTANCES.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, threadNamePrefix + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).executor(executor)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** The name every thread of this downloader's executor starts with. */
  String threadNamePrefix() {
    return threadNamePrefix;
  }

  /** Returns the settings. */
  public DownloadSettings settings() {
    return settings;
  }

  /**
   * Downloads {@code uri} into {@code part} until it holds {@code size} bytes, resuming what it holds already.
   *
   * @param uri The package's URI.
   * @param size The package's size in bytes, from the release.
   * @param part The {@code .part} file; its directory is created.
   * @param progress Told the bytes on disk at most once per {@link DownloadSettings#progressInterval()} and at
   *     the end.
   * @param cancelled Checked between reads, between attempts and every 50 ms of a backoff: when true the download
   *     stops, keeping the part file.
   * @throws DownloadException If the package cannot be downloaded: the message names the check or the last
   *     attempt's failure. A refused size and a write failure delete the part file; exhausted retries keep it.
   * @throws InterruptedException If the thread was interrupted, or {@code cancelled} turned true.
   */
  public void download(URI uri, long size, Path part, DownloadProgress progress, BooleanSupplier cancelled)
      throws DownloadException, InterruptedException {
    synchronized (this) {
      inFlight++;
    }
    try {
      downloadOnce(uri, size, part, progress, cancelled);
    } finally {
      boolean close;
      synchronized (this) {
        close = --inFlight == 0 && closeWhenIdle;
      }
      if (close) {
        close();
      }
    }
  }

  private void downloadOnce(URI uri, long size, Path part, DownloadProgress progress, BooleanSupplier cancelled)
      throws DownloadException, InterruptedException {
    if (size < 1 || size > settings.maxPackageBytes()) {
      throw new DownloadException("size " + size + " is over download.maxPackageBytes " + settings.maxPackageBytes());
    }
    long have = prepare(part, size);
    if (have == size) {
      // Complete already (a restart while verifying): asking for bytes=<size>- would get a 416; the sha256 decides.
      progress.update(size, size);
      return;
    }
    checkFreeSpace(part.getParent(), size, have);
    String lastFailure = null;
    for (int attempt = 0; ; attempt++) {
      if (cancelled.getAsBoolean()) {
        throw new InterruptedException("download of " + uri.getHost() + uri.getPath() + " cancelled");
      }
      if (attempt > 0) {
        if (attempt > settings.retries()) {
          throw new DownloadException("download failed after " + attempt + " attempts (download.retries "
              + settings.retries() + "): " + lastFailure);
        }
        Duration wait = settings.backoff(attempt);
        LOG.info("Download of {} failed ({}); retry {} of {} in {} ms", part.getFileName(), lastFailure, attempt,
            settings.retries(), wait.toMillis());
        sleepUnlessCancelled(wait, cancelled, uri);
      }
      try {
        have = attempt(uri, size, part, have, progress, cancelled);
        if (have == size) {
          deleteQuietly(validatorFile(part));
          progress.update(size, size);
          return;
        }
        lastFailure = "the body ended at byte " + have + " of " + size;
      } catch (AttemptFailure e) {
        lastFailure = e.getMessage();
        have = e.have;
      }
    }
  }

  /** Waits out a backoff in short slices, so that a newer release does not wait for the whole of it. */
  private static void sleepUnlessCancelled(Duration wait, BooleanSupplier cancelled, URI uri)
      throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    for (long left = wait.toNanos(); left > 0; left = end - System.nanoTime()) {
      if (cancelled.getAsBoolean()) {
        throw new InterruptedException("download of " + uri.getHost() + uri.getPath() + " cancelled");
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, BACKOFF_SLICE_NANOS));
    }
  }

  private long prepare(Path part, long size) throws DownloadException {
    try {
      Files.createDirectories(part.getParent());
      long have = Files.isRegularFile(part) ? Files.size(part) : 0;
      if (have > size) {
        Files.delete(part);
        return 0;
      }
      return have;
    } catch (IOException e) {
      throw new DownloadException("cannot prepare " + part + ": " + e, e);
    }
  }

  private void checkFreeSpace(Path directory, long size, long have) throws DownloadException {
    long needed = size - have + size + FREE_SPACE_MARGIN_BYTES;
    long usable;
    try {
      usable = diskSpace.usableBytes(directory);
    } catch (IOException e) {
      throw new DownloadException("cannot read the free space of " + directory + ": " + e, e);
    }
    if (usable < needed) {
      throw new DownloadException("free space: " + directory + " has " + usable + " bytes usable, the package needs "
          + needed + " (the rest of its " + size + " bytes, its unpacked copy and a margin of "
          + FREE_SPACE_MARGIN_BYTES + ")");
    }
  }

  /**
   * Checks that {@code directory} has room for {@code bytes} more plus {@link #FREE_SPACE_MARGIN_BYTES}.
   *
   * @param what What needs the room, for the message.
   * @throws DownloadException If it has not: the message gives both numbers.
   */
  public void requireFreeSpace(Path directory, long bytes, String what) throws DownloadException {
    long usable;
    try {
      usable = diskSpace.usableBytes(directory);
    } catch (IOException e) {
      throw new DownloadException("cannot read the free space of " + directory + ": " + e, e);
    }
    long needed = bytes + FREE_SPACE_MARGIN_BYTES;
    if (usable < needed) {
      throw new DownloadException("free space: " + directory + " has " + usable + " bytes usable, " + what
          + " needs " + needed + " (" + bytes + " and a margin of " + FREE_SPACE_MARGIN_BYTES + ")");
    }
  }

  /** One request; returns the bytes on disk when the body ended, or throws what went wrong. */
  private long attempt(URI uri, long size, Path part, long have, DownloadProgress progress,
      BooleanSupplier cancelled) throws AttemptFailure, DownloadException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
      // The part's bytes came from a response with this validator: other bytes on the server now answer 200.
      readValidator(part).ifPresent(validator -> request.header("If-Range", validator));
    }
    BodyChunks body = new BodyChunks();
    CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request.build(), body);
    try {
      HttpResponse.ResponseInfo response = headers(body, exchange, have);
      int status = response.statusCode();
      long start;
      if (status == 206 && have > 0) {
        start = contentRangeStart(response.headers()).orElse(-1);
        if (start != have) {
          throw new AttemptFailure("status 206 with Content-Range "
              + response.headers().firstValue("Content-Range").orElse("<none>") + ", expected bytes " + have + "-",
              have);
        }
      } else if (status == 200 || status == 206) {
        start = 0;
        writeValidator(part, response.headers());
      } else if (status == 416 && have > 0) {
        OptionalLong total = unsatisfiedRangeTotal(response.headers());
        if (total.isPresent() && total.getAsLong() == have && have == size) {
          return have;
        }
        deletePart(part);
        throw new AttemptFailure("status 416 to Range bytes=" + have + "- (Content-Range "
            + response.headers().firstValue("Content-Range").orElse("<none>") + "): the part does not fit the "
            + "package on the server; starting again from byte 0", 0);
      } else {
        throw new AttemptFailure("status " + status + " from " + uri.getHost() + uri.getPath() + ", expected 200"
            + (have > 0 ? " or 206" : ""), have);
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      if (length.isPresent() && start + length.getAsLong() > size) {
        deletePart(part);
        throw new DownloadException("Content-Length " + length.getAsLong() + (start > 0 ? " from byte " + start : "")
            + " is over the release's size " + size);
      }
      return copy(body, part, start, size, progress, cancelled);
    } finally {
      body.cancel();
      exchange.cancel(true);
    }
  }

  /** Waits for the status and headers, up to the timeout. */
  private HttpResponse.ResponseInfo headers(BodyChunks body, CompletableFuture<HttpResponse<Void>> exchange,
      long have) throws AttemptFailure, InterruptedException {
    try {
      CompletableFuture.anyOf(body.info(), exchange).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (body.info().isDone()) {
        return body.info().join();
      }
      exchange.join();
      throw new AttemptFailure("the response had no headers", have);
    } catch (ExecutionException | CompletionException e) {
      throw new AttemptFailure("request failed: " + e.getCause(), have);
    } catch (TimeoutException e) {
      throw new AttemptFailure("no response within " + settings.timeout().toMillis() + " ms (download.timeoutMillis)",
          have);
    }
  }

  private long copy(BodyChunks body, Path part, long start, long size, DownloadProgress progress,
      BooleanSupplier cancelled) throws AttemptFailure, DownloadException, InterruptedException {
    long have = start;
    FileChannel out;
    try {
      out = start == 0 ? FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE) : FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      deletePart(part);
      throw new DownloadException("cannot write " + part + ": " + e, e);
    }
    long lastReport = System.nanoTime();
    try (out) {
      while (true) {
        if (cancelled.getAsBoolean()) {
          throw new InterruptedException("download cancelled");
        }
        List<ByteBuffer> chunk;
        try {
          chunk = body.next(settings.timeout());
        } catch (BodyChunks.StalledException e) {
          throw new AttemptFailure(e.getMessage() + " at byte " + have, have);
        } catch (IOException e) {
          throw new AttemptFailure("the body was cut at byte " + have + ": " + e, have);
        }
        if (chunk == null) {
          return have;
        }
        for (ByteBuffer buffer : chunk) {
          int n = buffer.remaining();
          if (have + n > size) {
            out.close();
            deletePart(part);
            throw new DownloadException("the body is longer than the release's size " + size + " bytes");
          }
          try {
            while (buffer.hasRemaining()) {
              out.write(buffer);
            }
          } catch (IOException e) {
            out.close();
            deletePart(part);
            throw new DownloadException("writing " + part + " failed at byte " + have + ": " + e, e);
          }
          have += n;
          progress.received(n);
        }
        long now = System.nanoTime();
        if (now - lastReport >= settings.progressInterval().toNanos()) {
          lastReport = now;
          progress.update(have, size);
        }
      }
    } catch (IOException e) {
      deletePart(part);
      throw new DownloadException("writing " + part + " failed at byte " + have + ": " + e, e);
    }
  }

  private static OptionalLong contentRangeStart(HttpHeaders headers) {
    // Content-Range: bytes <start>-<end>/<total>
    String range = headers.firstValue("Content-Range").orElse("");
    if (!range.startsWith("bytes ")) {
      return OptionalLong.empty();
    }
    int dash = range.indexOf('-');
    try {
      return dash < 0 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(range.substring(6, dash).trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The total of {@code Content-Range: bytes *&#47;<total>} (a 416's), if present. */
  private static OptionalLong unsatisfiedRangeTotal(HttpHeaders headers) {
    String range = headers.firstValue("Content-Range").orElse("");
    if (!range.startsWith("bytes */")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(range.substring(8).trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** {@code <part>.validator}: the ETag or Last-Modified of the response the part's first byte came from. */
  static Path validatorFile(Path part) {
    return part.resolveSibling(part.getFileName() + ".validator");
  }

  private static java.util.Optional<String> readValidator(Path part) {
    try {
      Path file = validatorFile(part);
      return Files.isRegularFile(file) ? java.util.Optional.of(Files.readString(file).strip())
          .filter(v -> !v.isEmpty()) : java.util.Optional.empty();
    } catch (IOException e) {
      LOG.warn("Cannot read {}: {}", validatorFile(part), e.toString());
      return java.util.Optional.empty();
    }
  }

  /** Keeps a strong ETag (else Last-Modified) of a response that starts the part at byte 0; none deletes it. */
  private static void writeValidator(Path part, HttpHeaders headers) {
    java.util.Optional<String> validator = headers.firstValue("ETag").filter(e -> !e.startsWith("W/"))
        .or(() -> headers.firstValue("Last-Modified"));
    Path file = validatorFile(part);
    try {
      if (validator.isPresent()) {
        Files.writeString(file, validator.get());
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("Cannot write {}: {}", file, e.toString());
    }
  }

  private static void deletePart(Path part) {
    deleteQuietly(validatorFile(part));
    deleteQuietly(part);
  }

  private static void deleteQuietly(Path part) {
    try {
      Files.deleteIfExists(part);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", part, e.toString());
    }
  }

  /**
   * Closes once no download runs (at once when none does): for a downloader replaced by new settings while a
   * download may still use it.
   */
  public void closeWhenIdle() {
    boolean now;
    synchronized (this) {
      closeWhenIdle = true;
      now = inFlight == 0;
    }
    if (now) {
      close();
    }
  }

  /**
   * Stops the client's executor threads (a download still running fails). The JDK 17 client has no close; its
   * selector thread ends once the client is unreachable. Idempotent.
   */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** A failed attempt that may be retried, with the bytes on disk after it. */
  private static final class AttemptFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient long have;

    AttemptFailure(String message, long have) {
      super(message);
      this.have = have;
    }
  }
}
