package io.edgeai4j.module.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a registry's metrics and the health of registered components over HTTP, with the JDK's
 * {@link HttpServer}:
 *
 * <ul>
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format, as the IoT Edge metrics
 *       collector scrapes it;
 *   <li>{@code GET /health/live} and {@code GET /health/ready}: 200 when every registered check is live
 *       (ready), else 503, with a JSON body such as
 *       {@code {"status":"UP","checks":{"sensor":{"live":true,"ready":true,"state":"RUNNING"}}}}. With no
 *       check registered both answer 200.
 * </ul>
 *
 * <p>The caller owns the server and closes it; {@link #close()} is idempotent. The server does not own
 * the registry or the checks. All methods are thread-safe. Requests are served on two daemon threads.
 */
public final class MetricsServer implements AutoCloseable {
  /** The port the IoT Edge metrics collector scrapes by convention. */
  public static final int DEFAULT_PORT = 9600;

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String TEXT_TYPE = "text/plain; charset=utf-8";
  private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Map<String, HealthCheck> checks = new TreeMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final int port;

  private MetricsServer(HttpServer server, ExecutorService executor, PrometheusRegistry registry) {
    this.server = server;
    this.port = server.getAddress().getPort();
    this.executor = executor;
    this.registry = registry;
  }

  /**
   * Binds the address and starts serving. When the registry is
   * {@link PrometheusRegistry#defaultRegistry}, the JVM metrics (memory, GC, threads, ...) are
   * registered in it too, once per process.
   *
   * @param address The address to listen on, e.g. {@code new InetSocketAddress(DEFAULT_PORT)} for every
   *     interface; port 0 picks a free port (see {@link #port()}).
   * @param registry The registry to serve.
   * @return The running server, owned by the caller.
   * @throws IOException If the address cannot be bound, e.g. because the port is in use. The message names
   *     the address and the cause only: how to pick another port depends on who starts the server.
   */
  public static MetricsServer start(InetSocketAddress address, PrometheusRegistry registry) throws IOException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(registry, "registry");
    if (registry == PrometheusRegistry.defaultRegistry) {
      JvmMetrics.builder().register(registry);
    }
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new IOException("Cannot listen on " + address + " for metrics: " + e.getMessage(), e);
    }
    int serverNumber = SERVER_COUNT.incrementAndGet();
    AtomicInteger threadCount = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "edgeai4j-metrics-" + serverNumber + "-" + threadCount.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    MetricsServer metricsServer = new MetricsServer(server, executor, registry);
    server.setExecutor(executor);
    server.createContext("/", metricsServer::handle);
    server.start();
    LOG.info("Serving metrics on http://{}:{}/metrics and health on /health/live, /health/ready",
        address.getHostString(), metricsServer.port());
    return metricsServer;
  }

  /**
   * Registers a component whose health the health endpoints report.
   *
   * @param name The name under {@code checks} in the JSON, e.g. the module id.
   * @param check The check; not owned by the server.
   * @throws IllegalStateException If a check of that name is already registered.
   */
  public void register(String name, HealthCheck check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    synchronized (checks) {
      if (checks.containsKey(name)) {
        throw new IllegalStateException("A health check named '" + name + "' is already registered;"
            + " registered: " + checks.keySet());
      }
      checks.put(name, check);
    }
  }

  /**
   * Removes a check; does nothing when none of that name is registered.
   *
   * @param name The name it was registered under.
   */
  public void unregister(String name) {
    synchronized (checks) {
      checks.remove(name);
    }
  }

  /** Returns the port the server listens on (the one picked when it was started with port 0). */
  public int port() {
    return port;
  }

  /** Stops serving and releases the port; safe to call more than once. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdown();
      try {
        executor.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LOG.info("Metrics server on port {} stopped", port());
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, TEXT_TYPE, utf8("Method " + method + " not allowed; use GET\n"));
        return;
      }
      switch (path) {
        case "/metrics" -> serveMetrics(exchange);
        case "/health/live" -> serveHealth(exchange, false);
        case "/health/ready" -> serveHealth(exchange, true);
        default -> respond(exchange, 404, TEXT_TYPE,
            utf8("No such path " + path + "; try /metrics, /health/live or /health/ready\n"));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Serving {} failed: {}", exchange.getRequestURI(), e.toString());
      throw e;
    }
  }

  private void serveMetrics(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    writer.write(body, registry.scrape());
    respond(exchange, 200, writer.getContentType(), body.toByteArray());
  }

  private void serveHealth(HttpExchange exchange, boolean readiness) throws IOException {
    Map<String, HealthCheck> snapshot;
    synchronized (checks) {
      snapshot = new TreeMap<>(checks);
    }
    ObjectNode body = JSON.createObjectNode();
    ObjectNode checksNode = JSON.createObjectNode();
    boolean up = true;
    for (Map.Entry<String, HealthCheck> e : snapshot.entrySet()) {
      ObjectNode node = checksNode.putObject(e.getKey());
      boolean live;
      boolean ready;
      String state;
      try {
        live = e.getValue().isLive();
        ready = e.getValue().isReady();
        state = e.getValue().describe();
      } catch (RuntimeException failure) {
        live = false;
        ready = false;
        state = "check failed: " + failure;
      }
      node.put("live", live).put("ready", ready).put("state", state);
      up &= readiness ? ready : live;
    }
    body.put("status", up ? "UP" : "DOWN");
    body.set("checks", checksNode);
    respond(exchange, up ? 200 : 503, JSON_TYPE, JSON.writeValueAsBytes(body));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
