package io.edgeai4j.modelupdate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server of package files that honours {@code Range: bytes=<n>-} (206 with {@code Content-Range}),
 * and applies queued faults, one per request, in order: cut the body, answer a status, ignore the range (200),
 * pause mid-body, send no {@code Content-Length}, answer a status with {@code Retry-After}; a path may fail with a
 * status until healed, and the whole server may go {@linkplain #down() down} (port closed) and come
 * {@linkplain #up() up} again on the same port. Sends an {@code ETag} (a sha256 prefix) and honours
 * {@code If-Range} (another ETag ignores the range: 200). Records each request's {@code Range} header.
 * Thread-safe.
 */
public final class PackageServer implements AutoCloseable {
  /** What one request gets instead of a plain answer. */
  public sealed interface Fault permits Cut, Status, IgnoreRange, Pause, NoLength, RetryAfter,
      GoDown {}

  /** Declares the full length but sends only {@code bytes} of the body, then drops the connection. */
  public record Cut(int bytes) implements Fault {}

  /** Answers a bare status. */
  public record Status(int code) implements Fault {}

  /** Answers a bare status with a {@code Retry-After} header of {@code value}. */
  public record RetryAfter(int code, String value) implements Fault {}

  /** Answers a bare status, then closes the port before the client can ask again, as {@link #down()}. */
  public record GoDown(int code) implements Fault {}

  /** Answers 200 with the whole file, whatever the range. */
  public record IgnoreRange() implements Fault {}

  /** Sends {@code bytes}, then pauses for {@code millis} before the rest (a stalled link). */
  public record Pause(int bytes, long millis) implements Fault {}

  /** Sends the body chunked, without a {@code Content-Length}. */
  public record NoLength() implements Fault {}

  private volatile HttpServer server;
  private final int port;
  private final Map<String, Integer> failing = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<String> ifRanges = new CopyOnWriteArrayList<>();

  /** Starts on an ephemeral loopback port. */
  public PackageServer() throws IOException {
    server = listen(0);
    port = server.getAddress().getPort();
  }

  private HttpServer listen(int onPort) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    return s;
  }

  /** Closes the listening port: connections are refused until {@link #up()}. */
  public void down() {
    server.stop(0);
  }

  /** Listens again on the same port after {@link #down()}. */
  public void up() throws IOException {
    server = listen(port);
  }

  /** Answers {@code status} to every request for {@code path} until {@link #heal(String)}. */
  public void failing(String path, int status) {
    failing.put(path, status);
  }

  /** Serves {@code path} again after {@link #failing(String, int)}. */
  public void heal(String path) {
    failing.remove(path);
  }

  /** Serves {@code bytes} at {@code path} (starting with /) and returns its URI. */
  public URI put(String path, byte[] bytes) {
    files.put(path, bytes.clone());
    return uri(path);
  }

  /** The URI of a path on this server. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Queues faults for the next requests. */
  public void fault(Fault... next) {
    faults.addAll(List.of(next));
  }

  /** Each request's {@code Range} header, in order ({@code ""} when none). */
  public List<String> ranges() {
    return new ArrayList<>(ranges);
  }

  /** Each request's {@code If-Range} header, in order ({@code ""} when none); only requests for a served file. */
  public List<String> ifRanges() {
    return new ArrayList<>(ifRanges);
  }

  /** The ETag the server sends for {@code bytes}: a quoted prefix of their sha256. */
  public static String etag(byte[] bytes) {
    return "\"" + io.edgeai4j.modelpackage.Sha256.of(bytes).substring(0, 16) + "\"";
  }

  /** Each request's path, in order. */
  public List<String> paths() {
    return new ArrayList<>(paths);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String range = exchange.getRequestHeaders().getFirst("Range");
      ranges.add(range == null ? "" : range);
      paths.add(path);
      Integer failure = failing.get(path);
      if (failure != null) {
        exchange.sendResponseHeaders(failure, -1);
        return;
      }
      Fault fault = faults.poll();
      byte[] file = files.get(path);
      if (fault instanceof Status s) {
        exchange.sendResponseHeaders(s.code(), -1);
        return;
      }
      if (fault instanceof GoDown d) {
        exchange.sendResponseHeaders(d.code(), -1);
        exchange.close();
        down();
        return;
      }
      if (fault instanceof RetryAfter r) {
        exchange.getResponseHeaders().add("Retry-After", r.value());
        exchange.sendResponseHeaders(r.code(), -1);
        return;
      }
      if (file == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String etag = etag(file);
      exchange.getResponseHeaders().add("ETag", etag);
      String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
      ifRanges.add(ifRange == null ? "" : ifRange);
      boolean unchanged = ifRange == null || ifRange.equals(etag);
      int from = 0;
      if (range != null && range.startsWith("bytes=") && range.endsWith("-") && !(fault instanceof IgnoreRange)
          && unchanged) {
        from = Integer.parseInt(range.substring(6, range.length() - 1));
        if (from >= file.length) {
          exchange.getResponseHeaders().add("Content-Range", "bytes */" + file.length);
          exchange.sendResponseHeaders(416, -1);
          return;
        }
        exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (file.length - 1) + "/"
            + file.length);
      }
      int length = file.length - from;
      exchange.sendResponseHeaders(from > 0 ? 206 : 200, fault instanceof NoLength ? 0 : length);
      OutputStream body = exchange.getResponseBody();
      if (fault instanceof Cut cut) {
        body.write(file, from, Math.min(cut.bytes(), length));
        body.flush();
        // Drop the connection: the client sees the body end early.
        throw new IOException("cut");
      }
      if (fault instanceof Pause pause) {
        int first = Math.min(pause.bytes(), length);
        body.write(file, from, first);
        body.flush();
        sleep(pause.millis());
        body.write(file, from + first, length - first);
      } else {
        body.write(file, from, length);
      }
      body.close();
    } catch (IOException e) {
      // A cut, or the client went away.
    }
  }

  private static void sleep(long millis) {
    try {
      // A server that stalls on purpose: the pause is the fault, not a wait for something.
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
