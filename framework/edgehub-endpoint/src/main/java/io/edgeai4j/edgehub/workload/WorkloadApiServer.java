package io.edgeai4j.edgehub.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeai4j.edgehub.identity.EdgeCertificates;
import io.edgeai4j.edgehub.identity.ModuleKeys;
import io.edgeai4j.edgehub.identity.SasTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IoT Edge workload API (api-version 2018-06-28) over HTTP on loopback: POST /modules/{m}/genid/{g}/sign (HMAC
 * with the module's key) and GET /trust-bundle (the CA); JDK HttpServer; closes idempotently.
 *
 * <p>What the SDK's {@code ModuleClient.createFromEnvironment} asks with {@code IOTEDGE_WORKLOADURI=http://localhost:...}
 * (the SDK speaks plain HTTP to {@code localhost} only, so a module in a container cannot reach it this way):
 * {@code POST /modules/{m}/genid/{g}/sign?api-version=2018-06-28} with {@code {"keyId":"primary",
 * "algo":"HMACSHA256","data":"<base64>"}} answers {@code {"digest":"<base64 HMAC-SHA256(module key, data)>"}}, and
 * {@code GET /trust-bundle?api-version=2018-06-28} answers {@code {"certificate":"<PEM of the edge CA>"}}. Errors
 * answer edgelet's shape {@code {"message":"..."}} naming what was found and what was expected: 404 for an unknown
 * module or path, 405 for another method, 400 for a missing or other api-version, a body that is not such JSON, a
 * keyId other than {@code primary} or an algo other than {@code HMACSHA256}, 413 for a body over 64 KiB. The
 * generation id is not checked (any non-empty one signs). Requests run on two daemon threads; thread-safe.
 */
public final class WorkloadApiServer implements AutoCloseable {
  /** The only api-version served, the one the SDKs hard-code. */
  static final String API_VERSION = "2018-06-28";
  /** Largest request body read; a larger one is answered 413. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(WorkloadApiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SIGN_PATH = "/modules/{moduleId}/genid/{generationId}/sign";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ModuleKeys keys;
  private final String trustBundle;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WorkloadApiServer(HttpServer server, ExecutorService executor, ModuleKeys keys, String trustBundle) {
    this.server = server;
    this.executor = executor;
    this.keys = keys;
    this.trustBundle = trustBundle;
    InetAddress bound = server.getAddress().getAddress();
    String host = bound.isAnyLocalAddress() || bound.isLoopbackAddress() ? "localhost"
        : bound instanceof Inet6Address ? "[" + bound.getHostAddress() + "]" : bound.getHostAddress();
    this.uri = URI.create("http://" + host + ":" + server.getAddress().getPort() + "/");
  }

  /**
   * Starts the server on the address (port 0 = any).
   *
   * @throws IOException when the address cannot be bound
   */
  public static WorkloadApiServer start(InetSocketAddress address, ModuleKeys keys, EdgeCertificates certificates)
      throws IOException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(certificates, "certificates");
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
      Thread thread = new Thread(task, "workload-api-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    WorkloadApiServer workload = new WorkloadApiServer(server, executor, keys, certificates.caCertificatePem());
    server.createContext("/", workload::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("Workload API listening on {}", workload.uri);
    return workload;
  }

  /**
   * {@code http://localhost:<port>/} when bound to a loopback or wildcard address (else the bound address): what
   * {@code IOTEDGE_WORKLOADURI} is set to. The SDK's HTTP client refuses {@code http://} to any host other than
   * {@code localhost} ("Cannot do HTTP requests to any host other than localhost", {@code HttpsConnection}), so
   * {@code http://127.0.0.1:...} would not do.
   */
  public URI uri() {
    return uri;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening and ends the request threads; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = route(exchange);
      } catch (RuntimeException e) {
        LOG.warn("Workload API request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        response = Response.error(500, "Internal error: " + e);
      }
      byte[] body = response.body().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private Response route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String[] segments = path.split("/", -1);
    boolean sign = segments.length == 6 && segments[0].isEmpty() && segments[1].equals("modules")
        && segments[3].equals("genid") && segments[5].equals("sign");
    boolean trust = path.equals("/trust-bundle");
    if (!sign && !trust) {
      return Response.error(404, "No resource " + path + "; expected POST " + SIGN_PATH + " or GET /trust-bundle");
    }
    String expectedMethod = sign ? "POST" : "GET";
    if (!method.equals(expectedMethod)) {
      Response response = Response.error(405, "Method " + method + " is not allowed on " + path + "; expected "
          + expectedMethod);
      exchange.getResponseHeaders().set("Allow", expectedMethod);
      return response;
    }
    String apiVersion = query(exchange.getRequestURI().getRawQuery(), "api-version");
    if (apiVersion == null || !apiVersion.equals(API_VERSION)) {
      return Response.error(400, (apiVersion == null ? "Missing api-version" : "Unsupported api-version '"
          + apiVersion + "'") + "; expected api-version=" + API_VERSION);
    }
    if (trust) {
      return new Response(200, JSON.createObjectNode().put("certificate", trustBundle));
    }
    return sign(decode(segments[2]), decode(segments[4]), exchange.getRequestBody());
  }

  private Response sign(String moduleId, String generationId, InputStream bodyStream) throws IOException {
    if (moduleId == null || moduleId.isEmpty() || generationId == null || generationId.isEmpty()) {
      return Response.error(400, "The module id and generation id in the path must be non-empty URL-encoded "
          + "text; expected " + SIGN_PATH);
    }
    if (!keys.moduleIds().contains(moduleId)) {
      return Response.error(404, "Module '" + moduleId + "' not found; expected one of " + keys.moduleIds());
    }
    byte[] body = bodyStream.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      return Response.error(413, "Request body is over " + MAX_BODY_BYTES + " bytes; expected a sign request "
          + "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"<base64>\"}");
    }
    String expected = "; expected {\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"<base64>\"}";
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return Response.error(400, "Request body is not JSON (" + e.getOriginalMessage() + ")" + expected);
    }
    if (request == null || request.isMissingNode()) {
      return Response.error(400, "Request body is empty, not an object" + expected);
    }
    if (!request.isObject()) {
      return Response.error(400, "Request body is " + ("a JSON " + request.getNodeType()
          .name().toLowerCase(java.util.Locale.ROOT)) + ", not an object" + expected);
    }
    for (String field : new String[] {"keyId", "algo", "data"}) {
      if (!request.path(field).isTextual()) {
        return Response.error(400, "Request has " + (request.has(field) ? "a non-text" : "no") + " \"" + field
            + "\"" + expected);
      }
    }
    String keyId = request.get("keyId").asText();
    if (!keyId.equals("primary")) {
      return Response.error(400, "Unsupported keyId '" + keyId + "'; expected \"primary\" (a module has one key)");
    }
    String algo = request.get("algo").asText();
    if (!algo.equals("HMACSHA256")) {
      return Response.error(400, "Unsupported algo '" + algo + "'; expected \"HMACSHA256\"");
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(request.get("data").asText());
    } catch (IllegalArgumentException e) {
      return Response.error(400, "\"data\" is not base64 (" + e.getMessage() + ")" + expected);
    }
    return new Response(200, JSON.createObjectNode().put("digest", SasTokens.sign(keys.key(moduleId), data)));
  }

  private static String query(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals));
      if (name.equals(key)) {
        return equals < 0 ? "" : decode(pair.substring(equals + 1));
      }
    }
    return null;
  }

  /** URL-decodes, or returns null when the text is not URL-encoded. */
  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A status and a JSON body. */
  private record Response(int status, JsonNode body) {
    static Response error(int status, String message) {
      return new Response(status, JSON.createObjectNode().put("message", message));
    }
  }
}
