package io.edgeai4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint refuses what a web page could send it: real HTTP/1.1 written on a loopback socket to a
 * running runtime, so that every header (Host included) is exactly what the test says.
 */
class AdminEndpointSecurityTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String MANIFEST = """
      {"modulesContent": {
        "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
          "ext": {"type": "docker", "settings": {"image": "contoso/ext:1"}}}}},
        "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {}}},
        "ext": {"properties.desired": {"threshold": 1}}
      }}
      """;

  @TempDir Path dir;
  private LocalEdgeRuntime runtime;
  private String token;
  private String host;

  @BeforeEach
  void start() throws Exception {
    runtime = LocalEdgeRuntime.start(ManifestParser.parse(MANIFEST), RuntimeOptions.builder()
        .upstreamFile(dir.resolve("up.jsonl"))
        .console(null)
        .adminPort(0)
        .adminTokenFile(dir.resolve("state").resolve("admin.token"))
        .metricsAddress(null)
        .registry(new PrometheusRegistry())
        .factories(List.of())
        .build());
    token = AdminToken.read(runtime.adminTokenFile());
    host = "127.0.0.1:" + runtime.adminPort();
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void theTokenFileIsReadableByTheUserOnlyAndGoesAwayAtStop() throws Exception {
    Path file = runtime.adminTokenFile();
    assertThat(file).isEqualTo(dir.resolve("state").resolve("admin.token"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(token).as("256 bits, base64url").matches("[A-Za-z0-9_-]{43}");
    assertThat(Files.list(file.getParent())).as("no temporary file left beside it").containsExactly(file);
    runtime.close();
    assertThat(file).doesNotExist();
  }

  @Test
  void eachRunDrawsANewToken() throws Exception {
    Path file = runtime.adminTokenFile();
    runtime.close();
    runtime = LocalEdgeRuntime.start(ManifestParser.parse(MANIFEST), RuntimeOptions.builder()
        .upstreamFile(dir.resolve("up2.jsonl")).console(null).adminPort(0).adminTokenFile(file)
        .metricsAddress(null).registry(new PrometheusRegistry()).factories(List.of()).build());
    assertThat(AdminToken.read(file)).isNotEqualTo(token);
  }

  @Test
  void theTokenOpensTheEndpoint() throws Exception {
    Reply twin = send("GET /twins/ext", headers("Host", host, "Authorization", "Bearer " + token), null);
    assertThat(twin.status()).isEqualTo(200);
    assertThat(twin.json().at("/properties/desired/threshold").asInt()).isEqualTo(1);
    Reply patch = send("PATCH /twins/ext/desired", headers("Host", "localhost:" + runtime.adminPort(),
        "Authorization", "Bearer " + token, "Content-Type", "application/json; charset=utf-8"),
        "{\"threshold\": 2}");
    assertThat(patch.status()).as(patch.body()).isEqualTo(200);
    assertThat(runtime.hub().twin("ext").desired().get("threshold").asInt()).isEqualTo(2);
  }

  @Test
  void aRequestWithoutTokenIsRefusedWith401() throws Exception {
    Reply reply = send("PATCH /twins/ext/desired", headers("Host", host, "Content-Type", "application/json"),
        "{\"threshold\": 99}");
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.headers()).containsKey("www-authenticate");
    assertThat(reply.json().get("error").asText()).isEqualTo("unauthorized");
    assertThat(reply.json().get("message").asText()).contains("no Authorization header")
        .contains("Authorization: Bearer <token>").contains(runtime.adminTokenFile().toString());
    assertUnchanged();
  }

  @Test
  void aWrongTokenIsRefusedWith401() throws Exception {
    String wrong = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
    for (String authorization : List.of("Bearer " + wrong, "Bearer " + token.substring(1), "Bearer ",
        "Basic " + token, token)) {
      Reply reply = send("PATCH /twins/ext/desired", headers("Host", host, "Authorization", authorization,
          "Content-Type", "application/json"), "{\"threshold\": 99}");
      assertThat(reply.status()).as(authorization).isEqualTo(401);
      assertThat(reply.json().get("message").asText()).contains("does not carry this run's token");
    }
    assertThat(send("GET /modules", headers("Host", host, "Authorization", "Bearer " + wrong), null).status())
        .isEqualTo(401);
    assertUnchanged();
  }

  @Test
  void aRequestWithAnOriginIsRefusedWith403EvenWithTheToken() throws Exception {
    for (String origin : List.of("https://evil.example", "http://127.0.0.1:" + runtime.adminPort(), "null")) {
      Reply reply = send("POST /methods/ext/reset", headers("Host", host, "Origin", origin,
          "Authorization", "Bearer " + token, "Content-Type", "application/json"), "{}");
      assertThat(reply.status()).as(origin).isEqualTo(403);
      assertThat(reply.json().get("error").asText()).isEqualTo("forbidden_origin");
      assertThat(reply.json().get("message").asText()).contains("found Origin '" + origin + "'");
    }
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIsRefusedWith415() throws Exception {
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")) {
      Reply reply = send("PATCH /twins/ext/desired", headers("Host", host, "Authorization", "Bearer " + token,
          "Content-Type", type), "{\"threshold\": 99}");
      assertThat(reply.status()).as(type).isEqualTo(415);
      assertThat(reply.json().get("error").asText()).isEqualTo("unsupported_media_type");
      assertThat(reply.json().get("message").asText()).contains("application/json").contains("'" + type + "'");
    }
    Reply none = send("POST /links/ext/cut", headers("Host", host, "Authorization", "Bearer " + token), null);
    assertThat(none.status()).isEqualTo(415);
    assertThat(none.json().get("message").asText()).contains("found none");
    assertUnchanged();
  }

  @Test
  void aHostThatIsNotThisEndpointIsRefusedWith421() throws Exception {
    int port = runtime.adminPort();
    for (String badHost : List.of("evil.example:" + port, "127.0.0.1", "127.0.0.1:" + (port == 1 ? 2 : 1),
        "localhost.evil.example:" + port)) {
      Reply reply = send("PATCH /twins/ext/desired", headers("Host", badHost, "Authorization", "Bearer " + token,
          "Content-Type", "application/json"), "{\"threshold\": 99}");
      assertThat(reply.status()).as(badHost).isEqualTo(421);
      assertThat(reply.json().get("error").asText()).isEqualTo("misdirected_request");
      assertThat(reply.json().get("message").asText()).contains("found '" + badHost + "'")
          .contains("127.0.0.1:" + port);
    }
    assertUnchanged();
  }

  @Test
  void otherErrorsAlsoAnswerKindAndMessage() throws Exception {
    Reply unknown = send("GET /twins/nobody", headers("Host", host, "Authorization", "Bearer " + token), null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");
    assertThat(unknown.json().get("message").asText()).contains("nobody");
    Reply bad = send("PATCH /twins/ext/desired", headers("Host", host, "Authorization", "Bearer " + token,
        "Content-Type", "application/json"), "[1]");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).isEqualTo("bad_request");
    assertThat(bad.json().get("message").asText()).contains("must be a JSON object, found array");
  }

  private void assertUnchanged() {
    assertThat(runtime.hub().twin("ext").desired().get("threshold").asInt()).isEqualTo(1);
  }

  private static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  /** An answer: status line code, headers (names in lower case) and body. */
  private record Reply(int status, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      assertThat(headers.get("content-type")).isEqualTo("application/json");
      return MAPPER.readTree(body);
    }
  }

  /** Sends one HTTP/1.1 request with exactly these headers (and Content-Length when there is a body). */
  private Reply send(String requestLine, Map<String, String> headers, String body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), runtime.adminPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> replyHeaders = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        String[] nv = lines[i].split(":", 2);
        replyHeaders.put(nv[0].trim().toLowerCase(Locale.ROOT), nv[1].trim());
      }
      return new Reply(Integer.parseInt(lines[0].split(" ")[1]), replyHeaders, text.substring(end + 4));
    }
  }
}
