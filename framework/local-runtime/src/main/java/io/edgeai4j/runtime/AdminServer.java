package io.edgeai4j.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.TwinDocument;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local runtime's admin endpoint, on loopback only, used by {@code edge twin} and
 * {@code edge method}:
 *
 * <ul>
 *   <li>{@code GET /modules}: each module's role and connection, and the queue lengths;
 *   <li>{@code GET /twins/<module>}: the whole twin;
 *   <li>{@code PATCH /twins/<module>/desired}: patch the desired properties (body: the patch);
 *   <li>{@code POST /methods/<module>/<method>?timeoutSecs=30}: invoke a direct method (body: the payload),
 *       answering {@code {"status": n, "payload": ...}};
 *   <li>{@code POST /links/<module>/cut} and {@code POST /links/<module>/restore}: cut and restore a
 *       module's link to the hub, as a network failure would (answers {@code {"changed": true|false}}).
 * </ul>
 *
 * <p>Every request must come from a local program that can read the token file, not from a web page: a
 * request is refused when its {@code Host} is not this endpoint's loopback address and port (421, against DNS
 * rebinding), when it carries an {@code Origin} header (403, browsers send one on cross-origin requests), when
 * its {@code Authorization} is not {@code Bearer <token>} (401), and, for {@code POST} and {@code PATCH}, when
 * its {@code Content-Type} is not {@code application/json} (415). The token ({@link AdminToken}) is written to
 * its file once the port is bound and removed by {@link #close()}.
 *
 * <p>Errors answer {@code {"error": "<kind>", "message": "..."}} with 400, 401, 403, 404, 415 or 421. Closed by
 * its owner; close is idempotent.
 */
final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration DEFAULT_METHOD_TIMEOUT = Duration.ofSeconds(30);

  private final HttpServer server;
  private final ExecutorService executor;
  private final LocalEdgeHub hub;
  private final Map<String, ModuleRole> roles;
  private final AdminToken token;
  private final Path tokenFile;
  private final Set<String> hosts;
  private boolean closed;

  private AdminServer(HttpServer server, ExecutorService executor, LocalEdgeHub hub,
      Map<String, ModuleRole> roles, AdminToken token, Path tokenFile) {
    this.server = server;
    this.executor = executor;
    this.hub = hub;
    this.roles = roles;
    this.token = token;
    this.tokenFile = tokenFile;
    int port = server.getAddress().getPort();
    this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
  }

  /**
   * Binds the endpoint, writes a new token to its file and starts serving.
   *
   * @param address The loopback address; port 0 picks a free one.
   * @param tokenFile The token file, or null for {@link AdminToken#defaultFile(int)} of the bound port.
   * @throws IOException If the port is taken or the token file cannot be written, saying which.
   */
  static AdminServer start(InetSocketAddress address, Path tokenFile, LocalEdgeHub hub,
      Map<String, ModuleRole> roles) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (java.net.BindException e) {
      throw new IOException("cannot listen on " + address + " for the admin endpoint (is another"
          + " 'edge run' running? choose another port with --admin-port): " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "edge-admin");
      t.setDaemon(true);
      return t;
    });
    Path file = tokenFile != null ? tokenFile : AdminToken.defaultFile(server.getAddress().getPort());
    AdminToken token = AdminToken.random();
    try {
      token.writeTo(file);
    } catch (IOException e) {
      server.stop(0);
      executor.shutdownNow();
      throw new IOException("cannot write the admin token file " + file + ": " + e, e);
    }
    AdminServer admin = new AdminServer(server, executor, hub, roles, token, file);
    server.createContext("/", admin::handle);
    server.setExecutor(executor);
    server.start();
    return admin;
  }

  int port() {
    return server.getAddress().getPort();
  }

  Path tokenFile() {
    return tokenFile;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String[] parts = path.replaceAll("^/+|/+$", "").split("/");
      String method = exchange.getRequestMethod();
      if (refused(exchange, method)) {
        return;
      }
      try {
        if (parts.length == 1 && parts[0].equals("modules") && method.equals("GET")) {
          reply(exchange, 200, modules());
        } else if (parts.length == 2 && parts[0].equals("twins") && method.equals("GET")) {
          reply(exchange, 200, twinJson(hub.twin(parts[1])));
        } else if (parts.length == 3 && parts[0].equals("twins") && parts[2].equals("desired")
            && method.equals("PATCH")) {
          JsonNode patch = body(exchange);
          if (!patch.isObject()) {
            throw new BadRequest("a desired-properties patch must be a JSON object, found "
                + patch.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
          }
          reply(exchange, 200, twinJson(hub.patchDesired(parts[1], (ObjectNode) patch)));
        } else if (parts.length == 3 && parts[0].equals("methods") && method.equals("POST")) {
          JsonNode payload = body(exchange);
          Duration timeout = timeout(exchange.getRequestURI().getRawQuery());
          MethodResponse response = hub.invokeMethod(parts[1], parts[2], payload, timeout);
          ObjectNode json = MAPPER.createObjectNode();
          json.put("status", response.status());
          json.set("payload", response.payload());
          reply(exchange, 200, json);
        } else if (parts.length == 3 && parts[0].equals("links") && method.equals("POST")
            && (parts[2].equals("cut") || parts[2].equals("restore"))) {
          boolean changed = parts[2].equals("cut") ? hub.cutLink(parts[1]) : hub.restoreLink(parts[1]);
          reply(exchange, 200, MAPPER.createObjectNode().put("changed", changed));
        } else {
          reply(exchange, 404, error("not_found", "no such admin request: " + method + " " + path + "; expected GET"
              + " /modules, GET /twins/<module>, PATCH /twins/<module>/desired, POST"
              + " /methods/<module>/<method> or POST /links/<module>/cut|restore"));
        }
      } catch (BadRequest e) {
        reply(exchange, 400, error("bad_request", e.getMessage()));
      } catch (IllegalArgumentException e) {
        reply(exchange, 404, error("not_found", e.getMessage()));
      }
    }
  }

  /** Answers and returns true when the request is not from a local program holding the token. */
  private boolean refused(HttpExchange exchange, String method) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String host = headers.getFirst("Host");
    if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
      drain(exchange);
      reply(exchange, 421, error("misdirected_request", "the Host header must name this endpoint, one of "
          + new TreeSet<>(hosts) + ", found " + (host == null ? "none" : "'" + host + "'")
          + "; a request for another host name is refused against DNS rebinding"));
      return true;
    }
    String origin = headers.getFirst("Origin");
    if (origin != null) {
      drain(exchange);
      reply(exchange, 403, error("forbidden_origin", "requests from web pages are refused: found Origin '"
          + origin + "', expected no Origin header (use edge twin, edge method or curl)"));
      return true;
    }
    if (!token.accepts(headers.getFirst("Authorization"))) {
      drain(exchange);
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"edge run admin\"");
      reply(exchange, 401, error("unauthorized", (headers.containsKey("Authorization")
          ? "the Authorization header does not carry this run's token"
          : "no Authorization header") + "; expected 'Authorization: Bearer <token>' with the token in "
          + tokenFile));
      return true;
    }
    if (method.equals("POST") || method.equals("PATCH")) {
      String type = headers.getFirst("Content-Type");
      String mediaType = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!"application/json".equals(mediaType)) {
        drain(exchange);
        reply(exchange, 415, error("unsupported_media_type", method + " requests must have Content-Type"
            + " application/json, found " + (type == null ? "none" : "'" + type + "'")));
        return true;
      }
    }
    return false;
  }

  /** Reads and drops a refused request's body, so that the connection stays usable. */
  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private ObjectNode modules() {
    ObjectNode json = MAPPER.createObjectNode();
    ObjectNode modules = json.putObject("modules");
    roles.forEach((name, role) -> modules.putObject(name)
        .put("role", role.name().toLowerCase(java.util.Locale.ROOT))
        .put("connected", hub.isConnected(name)));
    ObjectNode queues = json.putObject("queues");
    hub.queueLengths().forEach(queues::put);
    json.put("storeBytes", hub.storeBytes());
    return json;
  }

  private static ObjectNode twinJson(TwinDocument twin) {
    ObjectNode json = MAPPER.createObjectNode();
    ObjectNode properties = json.putObject("properties");
    properties.set("desired", twin.desired());
    properties.set("reported", twin.reported());
    return json;
  }

  private static Duration timeout(String query) throws BadRequest {
    if (query == null) {
      return DEFAULT_METHOD_TIMEOUT;
    }
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2 && kv[0].equals("timeoutSecs")) {
        String value = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
        try {
          long secs = Long.parseLong(value);
          if (secs < 1 || secs > 300) {
            throw new BadRequest("timeoutSecs must be from 1 to 300, found " + secs);
          }
          return Duration.ofSeconds(secs);
        } catch (NumberFormatException e) {
          throw new BadRequest("timeoutSecs must be an integer, found '" + value + "'");
        }
      }
    }
    return DEFAULT_METHOD_TIMEOUT;
  }

  private static JsonNode body(HttpExchange exchange) throws IOException, BadRequest {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return NullNode.getInstance();
      }
      try {
        return MAPPER.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw new BadRequest("request body is not JSON: " + e.getOriginalMessage());
      }
    }
  }

  private static ObjectNode error(String kind, String message) {
    return MAPPER.createObjectNode().put("error", kind).put("message", message);
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    try {
      Files.deleteIfExists(tokenFile);
    } catch (IOException e) {
      LOG.warn("Cannot remove the admin token file {}: {}", tokenFile, e.toString());
    }
  }

  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }
}
