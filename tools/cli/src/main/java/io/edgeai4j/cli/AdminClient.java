package io.edgeai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to the admin endpoint of a running {@code edge run} on loopback. */
final class AdminClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String token;

  /**
   * Makes a client of the admin endpoint on a loopback port.
   *
   * @param token The run's admin token, sent as {@code Authorization: Bearer <token>}, or null to send none.
   */
  AdminClient(int port, String token) {
    this.port = port;
    this.token = token;
  }

  /** An answer: HTTP status and JSON body. */
  record Answer(int status, JsonNode body) {}

  /** Thrown when no {@code edge run} answers on the port. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  Answer send(String method, String path, String body, Duration timeout) throws Unreachable {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new Unreachable("no 'edge run' answers on 127.0.0.1:" + port
          + "; start one, or pass its --admin-port", e);
    } catch (java.net.http.HttpTimeoutException e) {
      throw new Unreachable("127.0.0.1:" + port + " did not answer within " + timeout.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new Unreachable("cannot talk to 127.0.0.1:" + port + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while waiting for 127.0.0.1:" + port, e);
    }
    try {
      return new Answer(response.statusCode(), MAPPER.readTree(response.body()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Unreachable("127.0.0.1:" + port + " answered HTTP " + response.statusCode()
          + " with something that is not JSON; is it an 'edge run' admin port?", e);
    }
  }

  static String pretty(JsonNode json) throws IOException {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
  }

  /** Checks that text is a JSON object, or says what it is. */
  static String requireJsonObject(String text, String what) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (!node.isObject()) {
        throw new IllegalArgumentException(what + " must be a JSON object, found "
            + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      return node.toString();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage());
    }
  }

  /** Checks that text is JSON of any kind. */
  static String requireJson(String text, String what) {
    try {
      return MAPPER.readTree(text).toString();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage());
    }
  }
}
