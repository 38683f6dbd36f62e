package io.edgeai4j.cli.model;

import static io.edgeai4j.cli.model.FakeAzure.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A stand-in for IoT Hub's configurations (deployments) REST API, behind a {@link FakeAzure} HTTPS server: it keeps
 * the deployments it is given and answers {@code GET /configurations?top=N}, {@code GET|PUT|DELETE
 * /configurations/<id>} as the hub does. It checks {@code api-version} and the service SAS token ({@code sr}, expiry,
 * HMAC-SHA256 with {@link FakeAzure#HUB_KEY}, {@code skn}); a {@code PUT} without {@code If-Match} creates (409 when
 * the id exists), with {@code If-Match} replaces (412 unless it is {@code *} or the current etag; 400 when the
 * content would change, which IoT Hub refuses); a {@code DELETE} needs {@code If-Match} likewise. Each write gives a
 * new etag. When it serves a deployment it computes {@code metrics.results} by running each of its
 * {@code metrics.queries} over the module twins the test set ({@link #moduleTwins}), as the hub does every five
 * minutes; {@link #computeMetrics} false serves none yet. Not thread-safe beyond the server's one dispatcher thread.
 */
final class FakeIotHub {
  static final String API_VERSION = "2021-04-12";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Map<String, ObjectNode> configurations = new LinkedHashMap<>();
  final List<JsonNode> moduleTwins = new ArrayList<>();
  final Map<String, Map<String, Long>> systemMetrics = new LinkedHashMap<>();
  volatile boolean computeMetrics = true;
  private int etags;

  /** Handles one request (a {@link FakeAzure} answer). */
  synchronized MockResponse answer(RecordedRequest request) {
    String apiVersion = request.getUrl().queryParameter("api-version");
    if (!API_VERSION.equals(apiVersion)) {
      return error(400, "InvalidProtocolVersion", "api-version " + apiVersion + " is not supported");
    }
    String authError = checkSas(request.getHeaders().get("Authorization"));
    if (authError != null) {
      return error(401, "IotHubUnauthorizedAccess", authError);
    }
    String path = URLDecoder.decode(request.getUrl().encodedPath(), StandardCharsets.UTF_8);
    if (path.equals("/configurations") || path.equals("/configurations/")) {
      if (!request.getMethod().equals("GET")) {
        return error(405, "MethodNotAllowed", request.getMethod());
      }
      String top = request.getUrl().queryParameter("top");
      int max = top == null ? 20 : Integer.parseInt(top);
      ArrayNode list = JSON.createArrayNode();
      configurations.values().stream().limit(max).forEach(c -> list.add(served(c)));
      return json(200, list);
    }
    if (!path.startsWith("/configurations/")) {
      return error(404, "NotFound", path);
    }
    String id = path.substring("/configurations/".length());
    ObjectNode existing = configurations.get(id);
    String ifMatch = request.getHeaders().get("If-Match");
    switch (request.getMethod()) {
      case "GET":
        return existing == null ? notFound(id) : json(200, served(existing));
      case "DELETE":
        if (existing == null) {
          return notFound(id);
        }
        if (!matches(ifMatch, existing)) {
          return preconditionFailed(id, ifMatch, existing);
        }
        configurations.remove(id);
        return new MockResponse.Builder().code(204).build();
      case "PUT":
        return put(id, existing, ifMatch, request);
      default:
        return error(405, "MethodNotAllowed", request.getMethod());
    }
  }

  private MockResponse put(String id, ObjectNode existing, String ifMatch, RecordedRequest request) {
    ObjectNode body;
    try {
      body = (ObjectNode) JSON.readTree(request.getBody().utf8());
    } catch (Exception e) {
      return error(400, "ArgumentInvalid", "body: " + e.getMessage());
    }
    if (!id.equals(body.path("id").asText())) {
      return error(400, "ArgumentInvalid", "id in the body '" + body.path("id").asText() + "' is not " + id);
    }
    if (!body.path("content").path("modulesContent").isObject() || !body.path("targetCondition").isTextual()
        || !body.path("priority").canConvertToInt()) {
      return error(400, "ArgumentInvalid", "expected content.modulesContent, targetCondition and priority");
    }
    ObjectNode stored = JSON.createObjectNode();
    String now = Instant.now().toString();
    if (ifMatch == null) {
      if (existing != null) {
        return error(409, "ConfigurationAlreadyExists", "Configuration with id '" + id + "' already exists");
      }
      stored.put("id", id);
      stored.put("schemaVersion", "1.0");
      stored.set("labels", body.path("labels").isObject() ? body.path("labels") : JSON.createObjectNode());
      stored.set("content", body.path("content"));
      stored.put("createdTimeUtc", now);
    } else {
      if (existing == null) {
        return notFound(id);
      }
      if (!matches(ifMatch, existing)) {
        return preconditionFailed(id, ifMatch, existing);
      }
      if (!existing.path("content").equals(body.path("content"))) {
        return error(400, "ConfigurationContentUpdateNotAllowed", "the content of configuration '" + id
            + "' cannot be updated");
      }
      stored = existing.deepCopy();
      stored.set("labels", body.path("labels").isObject() ? body.path("labels") : JSON.createObjectNode());
    }
    stored.put("targetCondition", body.path("targetCondition").asText());
    stored.put("priority", body.path("priority").asInt());
    ObjectNode metrics = stored.putObject("metrics");
    metrics.set("queries", body.path("metrics").path("queries").isObject() ? body.path("metrics").path("queries")
        : JSON.createObjectNode());
    metrics.putObject("results");
    stored.put("lastUpdatedTimeUtc", now);
    stored.put("etag", Base64.getEncoder().encodeToString(Integer.toString(++etags).getBytes(StandardCharsets.UTF_8)));
    configurations.put(id, stored);
    return json(200, served(stored));
  }

  /** Changes a deployment's etag, as another writer's update would. */
  synchronized void touch(String id) {
    configurations.get(id).put("etag",
        Base64.getEncoder().encodeToString(("x" + ++etags).getBytes(StandardCharsets.UTF_8)));
  }

  /** A deployment as the hub serves it: with system metrics and, when computed, the metric counts. */
  private ObjectNode served(ObjectNode configuration) {
    ObjectNode copy = configuration.deepCopy();
    ObjectNode system = copy.putObject("systemMetrics");
    system.putObject("queries");
    ObjectNode systemResults = system.putObject("results");
    systemMetrics.getOrDefault(copy.path("id").asText(), Map.of()).forEach(systemResults::put);
    ObjectNode results = ((ObjectNode) copy.path("metrics")).putObject("results");
    if (computeMetrics) {
      copy.path("metrics").path("queries").fields().forEachRemaining(q -> {
        MetricQuery query = MetricQuery.parse(q.getValue().asText());
        results.put(q.getKey(), moduleTwins.stream().filter(query::matches).count());
      });
    }
    return copy;
  }

  private static boolean matches(String ifMatch, JsonNode existing) {
    if (ifMatch == null) {
      return false;
    }
    String tag = ifMatch.strip();
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    return tag.equals("*") || tag.equals(existing.path("etag").asText());
  }

  /** Null when {@code SharedAccessSignature sr=<host>&sig=<HMAC>&se=<future>&skn=iothubowner} checks out. */
  private static String checkSas(String authorization) {
    if (authorization == null || !authorization.startsWith("SharedAccessSignature ")) {
      return "no SharedAccessSignature";
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : authorization.substring("SharedAccessSignature ".length()).split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (!"127.0.0.1".equals(parts.get("sr")) || !FakeAzure.HUB_KEY_NAME.equals(parts.get("skn"))
        || parts.get("se") == null || Long.parseLong(parts.get("se")) < Instant.now().getEpochSecond()) {
      return "bad sr, skn or se: " + parts.keySet();
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(FakeAzure.HUB_KEY), "HmacSHA256"));
      String rawSr = authorization.replaceAll(".*[ &]sr=([^&]*).*", "$1"); // signed as sent, URL-encoded
      String expected = Base64.getEncoder().encodeToString(
          mac.doFinal((rawSr + "\n" + parts.get("se")).getBytes(StandardCharsets.UTF_8)));
      return expected.equals(parts.get("sig")) ? null
          : "signature does not verify";
    } catch (java.security.GeneralSecurityException e) {
      return e.toString();
    }
  }

  private static MockResponse notFound(String id) {
    return error(404, "ConfigurationNotFound", "Configuration with id '" + id + "' was not found");
  }

  private static MockResponse preconditionFailed(String id, String ifMatch, JsonNode existing) {
    return error(412, "PreconditionFailed", "If-Match " + ifMatch + " does not match the etag of '" + id + "'");
  }

  private static MockResponse error(int status, String code, String message) {
    return respond(status, "{\"Message\":\"ErrorCode:" + code + ";" + message.replace("\"", "'") + "\"}",
        "Content-Type", "application/json; charset=utf-8");
  }

  private static MockResponse json(int status, JsonNode body) {
    try {
      return respond(status, JSON.writeValueAsString(body), "Content-Type", "application/json; charset=utf-8");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
