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
import io.edgeai4j.retry.Backoff;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one package to a {@code .part} file with {@link HttpClient}: checks free space first, resumes what
 * is already there with {@code Range: bytes=<have>-} (a {@code 206} appends, a {@code 200} starts again from
 * byte 0; a part already holding {@code size} bytes sends no request; a {@code 416} whose {@code Content-Range:
 * bytes *&#47;N} says the part is the whole package completes it, any other deletes the part and the next attempt
 * starts from byte 0; a resumed request carries {@code If-Range} with the strong ETag, else Last-Modified, of the
 * response the part began with, kept in {@code <part>.validator}, so that other bytes on the server answer 200 and
 * replace the part), and refuses a body longer than the release's size (reading stops at size + 1 bytes).
 *
 * <p>Failures are classified. Those that may pass ({@link RetryReason}: connection refused or reset, timeouts, a
 * body that stops flowing for {@link DownloadSettings#timeout()}, HTTP 5xx, 408, 429, too little free space or a
 * full disk) are retried for as long as the download is not cancelled, after waits from
 * {@link DownloadSettings#backoff()} (capped exponential with jitter; a {@code Retry-After} is honoured up to
 * {@link DownloadSettings#maxBackoff()}), each attempt resuming the part. The others end the download with a
 * {@link DownloadException}: another 4xx, a size over the limit, a {@code Content-Length} or body over the
 * release's size, a write error other than a full disk.
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
  private final Clock clock;
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
    this(settings, diskSpace, Clock.systemUTC());
  }

  /**
   * Creates a downloader.
   *
   * @param settings Limits, backoff and timeouts.
   * @param diskSpace Where the free space of the downloads directory comes from.
   * @param clock Where the next attempt's time ({@link RetryListener#retrying}) and a {@code Retry-After} date are
   *     read from; the waits themselves are measured with {@link System#nanoTime()}.
   */
  public PackageDownloader(DownloadSettings settings, DiskSpace diskSpace, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.diskSpace = Objects.requireNonNull(diskSpace, "diskSpace");
    this.clock = Objects.requireNonNull(clock, "clock");
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
   * Downloads {@code uri} into {@code part} until it holds {@code size} bytes, resuming what it holds already and
   * retrying from the start of a backoff sequence, telling no one about the retries.
   *
   * @see #download(URI, long, Path, DownloadProgress, BooleanSupplier, RetryPoint, RetryListener)
   */
  public void download(URI uri, long size, Path part, DownloadProgress progress, BooleanSupplier cancelled)
      throws DownloadException, InterruptedException {
    download(uri, size, part, progress, cancelled, RetryPoint.START, RetryListener.NONE);
  }

  /**
   * Downloads {@code uri} into {@code part} until it holds {@code size} bytes, resuming what it holds already;
   * a failure that may pass is retried, without limit, until the download succeeds, fails for good, or is
   * cancelled.
   *
   * @param uri The package's URI.
   * @param size The package's size in bytes, from the release.
   * @param part The {@code .part} file; its directory is created.
   * @param progress Told the bytes on disk at most once per {@link DownloadSettings#progressInterval()} and at
   *     the end.
   * @param cancelled Checked between reads, between attempts and every 50 ms of a backoff: when true the download
   *     stops, keeping the part file.
   * @param from Where an earlier run's retrying stood: the backoff continues after {@code from.failures()}
   *     failures, and the first attempt waits until {@code from.nextAttemptAt()} (at most the longest backoff).
   * @param listener Told of each attempt and each retry.
   * @throws DownloadException If the package cannot be downloaded for a reason that will not pass: the message
   *     names the check or the status. A refused size and a write failure delete the part file; a refused status
   *     keeps it (a renewed URI resumes it).
   * @throws InterruptedException If the thread was interrupted, or {@code cancelled} turned true.
   */
  public void download(URI uri, long size, Path part, DownloadProgress progress, BooleanSupplier cancelled,
      RetryPoint from, RetryListener listener) throws DownloadException, InterruptedException {
    synchronized (this) {
      inFlight++;
    }
    try {
      downloadRetrying(uri, size, part, progress, cancelled, from, listener);
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

  private void downloadRetrying(URI uri, long size, Path part, DownloadProgress progress, BooleanSupplier cancelled,
      RetryPoint from, RetryListener listener) throws DownloadException, InterruptedException {
    if (size < 1 || size > settings.maxPackageBytes()) {
      throw new DownloadException("size " + size + " is over download.maxPackageBytes " + settings.maxPackageBytes());
    }
    Backoff backoff = settings.backoff().start();
    backoff.resume(from.failures());
    if (from.nextAttemptAt() != null) {
      // A restart while waiting: the rest of that wait, never more than the longest backoff (the clock may jump).
      Duration left = Duration.between(clock.instant(), from.nextAttemptAt());
      if (left.compareTo(settings.maxBackoff()) > 0) {
        left = settings.maxBackoff();
      }
      if (!left.isNegative()) {
        sleepUnlessCancelled(left, cancelled, uri);
      }
    }
    while (true) {
      if (cancelled.getAsBoolean()) {
        throw new InterruptedException("download of " + uri.getHost() + uri.getPath() + " cancelled");
      }
      listener.attempting(backoff.failures());
      AttemptFailure failure;
      try {
        long have = prepare(part, size);
        if (have == size) {
          // Complete already (a restart while verifying): asking for bytes=<size>- would get a 416; the sha256
          // decides.
          deleteQuietly(validatorFile(part));
          progress.update(size, size);
          return;
        }
        checkFreeSpace(part.getParent(), size, have);
        have = attempt(uri, size, part, have, progress, cancelled);
        if (have == size) {
          deleteQuietly(validatorFile(part));
          progress.update(size, size);
          return;
        }
        failure = new AttemptFailure(RetryReason.CUT, "the body ended at byte " + have + " of " + size);
      } catch (AttemptFailure e) {
        failure = e;
      }
      Duration wait = backoff.next();
      if (failure.retryAfter != null) {
        Duration asked = failure.retryAfter.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
            : failure.retryAfter;
        wait = asked.compareTo(wait) > 0 ? asked : wait;
      }
      Instant next = clock.instant().plus(wait);
      LOG.info("Download of {} failed ({}: {}); attempt {} in {} ms", part.getFileName(), failure.reason.label(),
          failure.getMessage(), backoff.failures() + 1, wait.toMillis());
      listener.retrying(backoff.failures(), failure.reason, failure.getMessage(), next);
      sleepUnlessCancelled(wait, cancelled, uri);
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

  /** Too little room may pass (old versions pruned, logs rotated): a failed attempt, retried. */
  private void checkFreeSpace(Path directory, long size, long have) throws DownloadException, AttemptFailure {
    long needed = size - have + size + FREE_SPACE_MARGIN_BYTES;
    long usable;
    try {
      usable = diskSpace.usableBytes(directory);
    } catch (IOException e) {
      throw new DownloadException("cannot read the free space of " + directory + ": " + e, e);
    }
    if (usable < needed) {
      throw new AttemptFailure(RetryReason.DISK_FULL, "free space: " + directory + " has " + usable
          + " bytes usable, the package needs "
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

  /**
   * Waits until {@code directory} has room for {@code bytes} more plus {@link #FREE_SPACE_MARGIN_BYTES}, checking
   * again after each wait of {@link DownloadSettings#backoff()} (a full disk may pass: old versions pruned, logs
   * rotated), each shortfall told to {@code listener} as a {@link RetryReason#DISK_FULL} retry.
   *
   * @param what What needs the room, for the message.
   * @param cancelled Checked every 50 ms of a wait: when true the wait stops.
   * @throws DownloadException If the free space cannot be read.
   * @throws InterruptedException If the thread was interrupted, or {@code cancelled} turned true.
   */
  public void awaitFreeSpace(Path directory, long bytes, String what, BooleanSupplier cancelled,
      RetryListener listener) throws DownloadException, InterruptedException {
    Backoff backoff = settings.backoff().start();
    while (true) {
      try {
        requireFreeSpace(directory, bytes, what);
        return;
      } catch (DownloadException e) {
        if (!(e.getCause() == null && e.getMessage().startsWith("free space: "))) {
          throw e;
        }
        Duration wait = backoff.next();
        LOG.info("{}; checking again in {} ms", e.getMessage(), wait.toMillis());
        listener.retrying(backoff.failures(), RetryReason.DISK_FULL, e.getMessage(), clock.instant().plus(wait));
        sleepUnlessCancelled(wait, cancelled, directory.toUri());
        listener.attempting(backoff.failures());
      }
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
      HttpResponse.ResponseInfo response = headers(body, exchange);
      int status = response.statusCode();
      long start;
      if (status == 206 && have > 0) {
        start = contentRangeStart(response.headers()).orElse(-1);
        if (start != have) {
          throw new AttemptFailure(RetryReason.RANGE, "status 206 with Content-Range "
              + response.headers().firstValue("Content-Range").orElse("<none>") + ", expected bytes " + have + "-");
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
        throw new AttemptFailure(RetryReason.RANGE, "status 416 to Range bytes=" + have + "- (Content-Range "
            + response.headers().firstValue("Content-Range").orElse("<none>") + "): the part does not fit the "
            + "package on the server; starting again from byte 0");
      } else {
        String found = "status " + status + " from " + uri.getHost() + uri.getPath() + ", expected 200"
            + (have > 0 ? " or 206" : "");
        RetryReason reason = transientStatus(status);
        if (reason == null) {
          throw new DownloadException(found + " (a client error, not retried; a renewed URI is tried again)");
        }
        throw new AttemptFailure(reason, found).retryAfter(retryAfter(response.headers()));
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
  private HttpResponse.ResponseInfo headers(BodyChunks body, CompletableFuture<HttpResponse<Void>> exchange)
      throws AttemptFailure, InterruptedException {
    try {
      CompletableFuture.anyOf(body.info(), exchange).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (body.info().isDone()) {
        return body.info().join();
      }
      exchange.join();
      throw new AttemptFailure(RetryReason.CONNECTION, "the response had no headers");
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      RetryReason reason = cause instanceof HttpTimeoutException ? RetryReason.TIMEOUT : RetryReason.CONNECTION;
      throw new AttemptFailure(reason, "request failed: " + cause);
    } catch (TimeoutException e) {
      throw new AttemptFailure(RetryReason.TIMEOUT, "no response within " + settings.timeout().toMillis()
          + " ms (download.timeoutMillis)");
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
      if (diskFull(e)) {
        throw new AttemptFailure(RetryReason.DISK_FULL, "cannot write " + part + ": " + e);
      }
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
          throw new AttemptFailure(RetryReason.TIMEOUT, e.getMessage() + " at byte " + have);
        } catch (IOException e) {
          throw new AttemptFailure(RetryReason.CUT, "the body was cut at byte " + have + ": " + e);
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
            throw writeFailure(part, have, e);
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
      throw writeFailure(part, have, e);
    }
  }

  /**
   * A write that found the disk full keeps the part (its bytes are right, the next attempt resumes after them) and
   * is retried; any other write error deletes the part and ends the download.
   */
  private static AttemptFailure writeFailure(Path part, long have, IOException e) throws DownloadException {
    String message = "writing " + part + " failed at byte " + have + ": " + e;
    if (diskFull(e)) {
      return new AttemptFailure(RetryReason.DISK_FULL, message);
    }
    deletePart(part);
    throw new DownloadException(message, e);
  }

  /** ENOSPC or EDQUOT, as the JDK words them on Linux and macOS. */
  static boolean diskFull(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("No space left on device") || message.contains("Disk quota exceeded");
  }

  /** The retry reason of a status that may pass, or null for a client error that will not. */
  static RetryReason transientStatus(int status) {
    if (status >= 500 && status <= 599) {
      return RetryReason.SERVER_ERROR;
    } else if (status == 408) {
      return RetryReason.REQUEST_TIMEOUT;
    } else if (status == 429) {
      return RetryReason.TOO_MANY_REQUESTS;
    } else if (status >= 400 && status <= 499) {
      return null;
    }
    return RetryReason.OTHER_STATUS;
  }

  /** {@code Retry-After}: delay-seconds or an HTTP-date (then from the clock); null when absent or unreadable. */
  private Duration retryAfter(HttpHeaders headers) {
    String value = headers.firstValue("Retry-After").map(String::strip).orElse(null);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return Duration.ofSeconds(Long.parseLong(value));
      }
      Duration left = Duration.between(clock.instant(),
          ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return left.isNegative() ? Duration.ZERO : left;
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      LOG.debug("Ignoring Retry-After '{}': {}", value, e.toString());
      return null;
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

  /**
   * A failed attempt that may be retried, with its reason and the wait the server asked for; the next attempt
   * finds the bytes on disk from the part itself.
   */
  private static final class AttemptFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final RetryReason reason;
    private transient Duration retryAfter;

    AttemptFailure(RetryReason reason, String message) {
      super(message);
      this.reason = reason;
    }

    AttemptFailure retryAfter(Duration wait) {
      this.retryAfter = wait;
      return this;
    }
  }
}
