package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IoT Hub's configurations (deployments) REST API, api-version {@value #API_VERSION}: list, get, create, replace
 * and delete, each one HTTPS request ({@code HttpsURLConnection}) with a service SAS token in {@code Authorization}.
 * A replace or a delete sends {@code If-Match} with the etag of the deployment as it was read, so a deployment
 * changed meanwhile is not overwritten (IoT Hub answers 412). The service SDK's {@code ConfigurationsClient.replace}
 * sends {@code If-Match: *}, which is why these requests are made here. Holds nothing to close; thread-safe.
 */
final class HubConfigurations {
  static final String API_VERSION = "2021-04-12";
  /** The most configurations IoT Hub lists in one answer (and holds: 100 deployments per paid hub). */
  static final int LIST_MAX = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HubConnection hub;
  private final int timeoutMillis;

  /** @param timeout Connect and read timeout of each request. */
  HubConfigurations(HubConnection hub, Duration timeout) {
    this.hub = hub;
    this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  /** The hub's host, for messages. */
  String hostName() {
    return hub.hostName();
  }

  /** Every configuration ({@code GET /configurations?top=100}). */
  List<JsonNode> list() throws RolloutException {
    Answer answer = send("GET", "/configurations?top=" + LIST_MAX + "&", null, null, "listing the deployments");
    if (answer.status != 200 || answer.body == null || !answer.body.isArray()) {
      throw unexpected("listing the deployments", answer);
    }
    List<JsonNode> all = new ArrayList<>();
    answer.body.forEach(all::add);
    return all;
  }

  /** One configuration, or empty when there is none of that id. */
  Optional<JsonNode> get(String id) throws RolloutException {
    Answer answer = send("GET", path(id), null, null, "reading deployment '" + id + "'");
    if (answer.status == 404) {
      return Optional.empty();
    }
    if (answer.status != 200 || answer.body == null || !answer.body.isObject()) {
      throw unexpected("reading deployment '" + id + "'", answer);
    }
    return Optional.of(answer.body);
  }

  /** Creates a configuration ({@code PUT} without {@code If-Match}); refused when the id exists. */
  JsonNode create(ObjectNode configuration) throws RolloutException {
    String id = configuration.path("id").asText();
    String what = "creating deployment '" + id + "'";
    Answer answer = send("PUT", path(id), null, configuration, what);
    if (answer.status == 409) {
      throw new RolloutException(ExitCodes.CANT_CREATE, what + ": it already exists on " + hub.hostName()
          + ": " + answer.message());
    }
    if (answer.status != 200 && answer.status != 201) {
      throw unexpected(what, answer);
    }
    return answer.body;
  }

  /** Replaces a configuration read before; {@code If-Match} carries the etag it was read with. */
  JsonNode replace(ObjectNode configuration) throws RolloutException {
    String id = configuration.path("id").asText();
    String what = "updating deployment '" + id + "'";
    Answer answer = send("PUT", path(id), configuration.path("etag").asText(), configuration, what);
    if (answer.status != 200) {
      throw unexpected(what, answer);
    }
    return answer.body;
  }

  /**
   * Deletes a configuration read before ({@code If-Match} its etag).
   *
   * @return False when it was not there (already deleted).
   */
  boolean delete(JsonNode configuration) throws RolloutException {
    String id = configuration.path("id").asText();
    String what = "deleting deployment '" + id + "'";
    Answer answer = send("DELETE", path(id), configuration.path("etag").asText(), null, what);
    if (answer.status == 404) {
      return false;
    }
    if (answer.status != 204 && answer.status != 200) {
      throw unexpected(what, answer);
    }
    return true;
  }

  private static String path(String id) {
    return "/configurations/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "?";
  }

  private record Answer(int status, JsonNode body, String text) {
    String message() {
      String m = body != null ? body.path("Message").asText(body.path("message").asText("")) : "";
      String shown = m.isEmpty() ? text.strip() : m;
      return "HTTP " + status + (shown.isEmpty() ? "" : " " + (shown.length() > 500 ? shown.substring(0, 500)
          + "..." : shown));
    }
  }

  private Answer send(String method, String pathAndQuery, String etag, JsonNode body, String what)
      throws RolloutException {
    URI uri = URI.create("https://" + hub.endpointHost() + pathAndQuery + "api-version=" + API_VERSION);
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestMethod(method);
      connection.setRequestProperty("Authorization", hub.credential().getSignature());
      connection.setRequestProperty("Accept", "application/json");
      if (etag != null) {
        connection.setRequestProperty("If-Match", etag.isEmpty() || etag.equals("*") ? "*" : "\"" + etag + "\"");
      }
      if (body != null) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json; charset=utf-8");
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      connection.disconnect();
      JsonNode json = null;
      if (!text.isBlank()) {
        try {
          json = JSON.readTree(text);
        } catch (IOException e) {
          json = null;
        }
      }
      Answer answer = new Answer(status, json, text);
      if (status == 401 || status == 403) {
        throw new RolloutException(ExitCodes.CONFIG, what + " on " + hub.hostName() + ": unauthorized (check the"
            + " connection string's policy '" + hub.keyName() + "' and key; it needs the RegistryRead right, and"
            + " RegistryWrite for promote and abort): " + answer.message());
      }
      if (status == 412) {
        throw new RolloutException(ExitCodes.CANT_CREATE, what + " on " + hub.hostName() + ": it changed since it"
            + " was read (etag " + etag + " no longer matches); nothing else was changed, run the command again: "
            + answer.message());
      }
      return answer;
    } catch (IOException e) {
      throw new RolloutException(ExitCodes.UNAVAILABLE, what + ": cannot reach " + hub.endpointHost() + ": " + e,
          e);
    }
  }

  private RolloutException unexpected(String what, Answer answer) {
    return new RolloutException(ExitCodes.SOFTWARE, what + " on " + hub.hostName() + ": the hub answered "
        + answer.message());
  }
}
