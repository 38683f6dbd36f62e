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
 * pause mid-body, send no {@code Content-Length}. Sends an {@code ETag} (a sha256 prefix) and honours
 * {@code If-Range} (another ETag ignores the range: 200). Records each request's {@code Range} header.
 * Thread-safe.
 */
public final class PackageServer implements AutoCloseable {
  /** What one request gets instead of a plain answer. */
  public sealed interface Fault permits Cut, Status, IgnoreRange, Pause, NoLength {}

  /** Declares the full length but sends only {@code bytes} of the body, then drops the connection. */
  public record Cut(int bytes) implements Fault {}

  /** Answers a bare status. */
  public record Status(int code) implements Fault {}

  /** Answers 200 with the whole file, whatever the range. */
  public record IgnoreRange() implements Fault {}

  /** Sends {@code bytes}, then pauses for {@code millis} before the rest (a stalled link). */
  public record Pause(int bytes, long millis) implements Fault {}

  /** Sends the body chunked, without a {@code Content-Length}. */
  public record NoLength() implements Fault {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<String> ifRanges = new CopyOnWriteArrayList<>();

  /** Starts on an ephemeral loopback port. */
  public PackageServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code bytes} at {@code path} (starting with /) and returns its URI. */
  public URI put(String path, byte[] bytes) {
    files.put(path, bytes.clone());
    return uri(path);
  }

  /** The URI of a path on this server. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
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
      Fault fault = faults.poll();
      byte[] file = files.get(path);
      if (fault instanceof Status s) {
        exchange.sendResponseHeaders(s.code(), -1);
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
