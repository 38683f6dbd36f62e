package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelReleaseTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static final String P = "models.m";

  static ObjectNode valid() throws Exception {
    return (ObjectNode) JSON.readTree("{\"version\":3,\"uri\":\"https://acct.blob.core.windows.net/models/m/3/package"
        + ".zip?sv=1&sig=x\",\"sha256\":\"" + SHA + "\",\"size\":182734}");
  }

  /** A valid release with {@code field} replaced by the JSON {@code value} ("-" removes it). */
  static JsonNode with(String field, String value) throws Exception {
    ObjectNode node = valid();
    if (value.equals("-")) {
      node.remove(field);
    } else {
      node.set(field, JSON.readTree(value));
    }
    return node;
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      version    | -                      | models.m.version: missing; expected an integer >= 1
      version    | "3"                    | models.m.version: expected an integer >= 1, found the string '3'
      version    | 3.5                    | models.m.version: expected an integer >= 1, found 3.5
      version    | 3.0                    | models.m.version: expected an integer >= 1, found 3.0
      version    | 0                      | models.m.version: expected an integer >= 1, found 0
      version    | -2                     | models.m.version: expected an integer >= 1, found -2
      version    | 99999999999999999999   | models.m.version: expected an integer >= 1, found 99999999999999999999
      version    | null                   | models.m.version: missing; expected an integer >= 1
      uri        | -                      | models.m.uri: missing; expected a string
      uri        | 7                      | models.m.uri: expected a string, found 7
      uri        | "http://example.com/p.zip" | models.m.uri: expected an absolute https URI (http only for 127.0.0.1, localhost or [::1]), found 'http://example.com/p.zip'
      uri        | "ftp://example.com/p.zip"  | models.m.uri: expected an absolute https URI (http only for 127.0.0.1, localhost or [::1]), found 'ftp://example.com/p.zip'
      uri        | "/models/p.zip"        | models.m.uri: expected an absolute https URI (http only for 127.0.0.1, localhost or [::1]), found '/models/p.zip'
      uri        | "https:p.zip"          | models.m.uri: expected an absolute https URI (http only for 127.0.0.1, localhost or [::1]), found 'https:p.zip'
      uri        | "https://a b/p.zip"    | models.m.uri: expected an absolute https URI, found 'https://a b/p.zip': Illegal character in authority at index 8
      sha256     | -                      | models.m.sha256: missing; expected a string
      sha256     | "abc"                  | models.m.sha256: expected 64 hex digits, found 'abc'
      sha256     | "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g" | models.m.sha256: expected 64 hex digits, found '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g'
      size       | -                      | models.m.size: missing; expected an integer >= 1
      size       | 0                      | models.m.size: expected an integer >= 1, found 0
      size       | "12"                   | models.m.size: expected an integer >= 1, found the string '12'
      signature  | "not base64!"          | models.m.signature: expected non-empty base64, found 'not base64!'
      signature  | ""                     | models.m.signature: expected non-empty base64, found ''
      signature  | 12                     | models.m.signature: expected a string, found 12
      format     | "tflite"               | models.m.format: expected one of onnx, found 'tflite'
      format     | "ONNX"                 | models.m.format: expected one of onnx, found 'ONNX'
      target     | "cpu"                  | models.m.target: expected an object, found the string 'cpu'
      target     | {"backend":"openvino"} | models.m.target.backend: expected one of onnxruntime-cpu, onnxruntime-cuda, tensorrt, found 'openvino'
      target     | {"precision":"fp64"}   | models.m.target.precision: expected one of fp32, fp16, int8, found 'fp64'
      target     | {"device":"gpu"}       | models.m.target: unknown field 'device'; expected only backend, precision
      activation | "immediate"            | models.m.activation: expected an object, found the string 'immediate'
      activation | {}                     | models.m.activation.policy: missing; expected immediate or window
      activation | {"policy":"later"}     | models.m.activation.policy: expected immediate or window, found 'later'
      activation | {"policy":"immediate","start":"02:00"} | models.m.activation: unknown field 'start'; expected only policy
      activation | {"policy":"window","end":"04:00"} | models.m.activation.start: missing; expected a string
      activation | {"policy":"window","start":"2:00","end":"04:00"} | models.m.activation.start: expected HH:mm (00:00 to 23:59), found '2:00'
      activation | {"policy":"window","start":"02:00","end":"24:00"} | models.m.activation.end: expected HH:mm (00:00 to 23:59), found '24:00'
      activation | {"policy":"window","start":"02:00","end":"02:00"} | models.m.activation: a window's start and end must differ, found 02:00 to 02:00
      activation | {"policy":"window","start":"02:00","end":"04:00","zone":"Mars/Olympus"} | models.m.activation.zone: expected an IANA zone id such as Europe/Berlin, found 'Mars/Olympus'
      activation | {"policy":"window","start":"02:00","end":"04:00","days":"mon"} | models.m.activation: unknown field 'days'; expected only policy, start, end, zone
      notBefore  | "2027-01-01"           | models.m.notBefore: expected an ISO-8601 instant with an offset, such as 2027-01-01T00:00:00Z, found '2027-01-01'
      notBefore  | "2027-01-01T00:00:00"  | models.m.notBefore: expected an ISO-8601 instant with an offset, such as 2027-01-01T00:00:00Z, found '2027-01-01T00:00:00'
      notBefore  | 1798761600             | models.m.notBefore: expected a string, found 1798761600
      expires    | "tomorrow"             | models.m.expires: expected an ISO-8601 instant with an offset, such as 2027-01-01T00:00:00Z, found 'tomorrow'
      rollback   | "true"                 | models.m.rollback: expected true or false, found the string 'true'
      rollback   | 1                      | models.m.rollback: expected true or false, found 1
      extra      | 1                      | models.m: unknown field 'extra'; expected only version, uri, sha256, size, signature, format, target, activation, notBefore, expires, rollback
      """)
  void refusesEachBrokenField(String field, String value, String message) throws Exception {
    JsonNode node = with(field, value);
    String expectedPath = message.substring(0, message.indexOf(':'));
    assertThatThrownBy(() -> ModelRelease.fromJson("m", node, P))
        .isInstanceOf(InvalidReleaseException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((InvalidReleaseException) e).path()).isEqualTo(expectedPath));
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      2027-01-01T00:00:00Z, 2027-01-01T00:00:00Z
      2027-01-01T00:00:00Z, 2026-12-31T00:00:00Z
      2027-01-01T01:00:00+01:00, 2027-01-01T00:00:00Z
      """)
  void refusesAnExpiryNotAfterNotBefore(String notBefore, String expires) throws Exception {
    ObjectNode node = valid();
    node.put("notBefore", notBefore).put("expires", expires);
    assertThatThrownBy(() -> ModelRelease.fromJson("m", node, P))
        .isInstanceOf(InvalidReleaseException.class)
        .hasMessageStartingWith("models.m.expires: expected an instant after notBefore ");
  }

  @Test
  void readsTheValidityIntervalAndTheRollbackFlag() throws Exception {
    ObjectNode node = valid();
    node.put("notBefore", "2027-01-01T01:00:00+01:00").put("expires", "2027-02-01T00:00:00Z").put("rollback", true);
    ModelRelease release = ModelRelease.fromJson("m", node, P);
    assertThat(release.notBefore()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(release.expires()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
    assertThat(release.rollback()).isTrue();
    assertThat(release.toJson().get("notBefore").asText()).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(ModelRelease.fromJson("m", release.toJson(), P)).isEqualTo(release);
    ObjectNode notRollback = valid().put("rollback", false);
    notRollback.putNull("notBefore");
    ModelRelease plain = ModelRelease.fromJson("m", notRollback, P);
    assertThat(plain.rollback()).isFalse();
    assertThat(plain.notBefore()).isNull();
    assertThat(plain.toJson().has("rollback")).isFalse();
  }

  @Test
  void namesEveryUnknownField() throws Exception {
    ObjectNode node = valid();
    node.put("a", 1).put("b", 2);
    assertThatThrownBy(() -> ModelRelease.fromJson("m", node, P))
        .hasMessageStartingWith("models.m: unknown fields 'a', 'b'; expected only version");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      x y
      .
      ..
      ''
      a/b
      ü
      """)
  void refusesABadName(String name) throws Exception {
    String path = "models." + name;
    assertThatThrownBy(() -> ModelRelease.fromJson(name, valid(), path))
        .isInstanceOf(InvalidReleaseException.class)
        .hasMessage(path + ": expected a model name of 1 to 128 characters from A-Z a-z 0-9 _ . -, not '.' or '..',"
            + " found '" + name + "'");
  }

  @Test
  void refusesANameOf129Characters() throws Exception {
    String name = "m".repeat(129);
    assertThatThrownBy(() -> ModelRelease.fromJson(name, valid(), "models.x")).hasMessageStartingWith(
        "models.x: expected a model name");
    assertThat(ModelRelease.fromJson("m".repeat(128), valid(), "models.x").name()).hasSize(128);
  }

  @Test
  void refusesAUriOver2048Characters() throws Exception {
    String uri = "https://a.example/" + "p".repeat(2048 - 18);
    assertThat(ModelRelease.fromJson("m", with("uri", "\"" + uri + "\""), P).uri().toString()).hasSize(2048);
    JsonNode tooLong = with("uri", "\"" + uri + "p\"");
    assertThatThrownBy(() -> ModelRelease.fromJson("m", tooLong, P))
        .hasMessage("models.m.uri: expected at most 2048 characters, found 2049");
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      http://127.0.0.1:8080/p.zip
      http://localhost/p.zip
      http://[::1]:9000/p.zip
      HTTPS://acct.blob.core.windows.net/p.zip
      """)
  void acceptsHttpsAndLoopbackHttp(String uri) throws Exception {
    assertThat(ModelRelease.fromJson("m", with("uri", "\"" + uri + "\""), P).uri()).isEqualTo(URI.create(uri));
  }

  @Test
  void appliesDefaultsAndLowerCasesTheHash() throws Exception {
    ModelRelease release = ModelRelease.fromJson("m", with("sha256", "\"" + SHA.toUpperCase() + "\""), P);
    assertThat(release.sha256()).isEqualTo(SHA);
    assertThat(release.format()).isEqualTo(ModelFormat.ONNX);
    assertThat(release.activation()).isEqualTo(Activation.IMMEDIATE);
    assertThat(release.signature()).isNull();
    assertThat(release.target()).isNull();
    assertThat(release.version()).isEqualTo(3);
    assertThat(release.size()).isEqualTo(182734);
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    ObjectNode node = valid();
    node.put("signature", "MEUCIQ==");
    node.put("format", "onnx");
    node.set("target", JSON.readTree("{\"backend\":\"tensorrt\",\"precision\":\"fp16\"}"));
    node.set("activation", JSON.readTree(
        "{\"policy\":\"window\",\"start\":\"22:30\",\"end\":\"02:00\",\"zone\":\"Europe/Berlin\"}"));
    ModelRelease release = ModelRelease.fromJson("m", node, P);
    assertThat(release.toJson()).isEqualTo(node);
    assertThat(ModelRelease.fromJson("m", release.toJson(), P)).isEqualTo(release);
    assertThat(release.activation()).isEqualTo(
        new Activation.Window(LocalTime.of(22, 30), LocalTime.of(2, 0), ZoneId.of("Europe/Berlin")));
    assertThat(release.target()).isEqualTo(new Target("tensorrt", Precision.FP16));

    ModelRelease plain = ModelRelease.fromJson("m", valid(), P);
    assertThat(plain.toJson().has("signature")).isFalse();
    assertThat(plain.toJson().has("target")).isFalse();
    assertThat(plain.toJson().get("activation")).isEqualTo(JSON.readTree("{\"policy\":\"immediate\"}"));
    assertThat(ModelRelease.fromJson("m", plain.toJson(), P)).isEqualTo(plain);
  }

  @Test
  void windowZoneDefaultsToUtc() throws Exception {
    ModelRelease release = ModelRelease.fromJson("m",
        with("activation", "{\"policy\":\"window\",\"start\":\"02:00\",\"end\":\"04:00\"}"), P);
    assertThat(((Activation.Window) release.activation()).zone()).isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void signedStatementIsCanonicalJsonOfEveryFieldThatDecidesWhatRuns() throws Exception {
    ObjectNode node = ((ObjectNode) with("sha256", "\"" + SHA.toUpperCase() + "\""));
    node.set("target", JSON.readTree("{\"precision\":\"fp16\",\"backend\":\"tensorrt\"}"));
    node.set("activation", JSON.readTree(
        "{\"zone\":\"Europe/Berlin\",\"end\":\"04:00\",\"start\":\"02:00\",\"policy\":\"window\"}"));
    node.put("expires", "2027-02-01T01:00:00+01:00").put("notBefore", "2027-01-01T00:00:00Z").put("rollback", true);
    node.put("signature", "AAAA");
    ModelRelease release = ModelRelease.fromJson("fault-classifier", node, "models.fault-classifier");
    assertThat(release.signedStatement()).isEqualTo("{\"activation\":{\"end\":\"04:00\",\"policy\":\"window\","
        + "\"start\":\"02:00\",\"zone\":\"Europe/Berlin\"},\"expires\":\"2027-02-01T00:00:00Z\",\"format\":\"onnx\","
        + "\"name\":\"fault-classifier\",\"notBefore\":\"2027-01-01T00:00:00Z\",\"rollback\":true,"
        + "\"sha256\":\"" + SHA + "\",\"size\":182734,\"statement\":\"edgeai4j-model-release-v2\","
        + "\"target\":{\"backend\":\"tensorrt\",\"precision\":\"fp16\"},\"version\":3}");
    assertThat(release.withSignature(null).signedStatement()).isEqualTo(release.signedStatement());

    ModelRelease plain = ModelRelease.fromJson("m", valid(), P);
    assertThat(plain.signedStatement()).isEqualTo("{\"activation\":{\"policy\":\"immediate\"},\"expires\":null,"
        + "\"format\":\"onnx\",\"name\":\"m\",\"notBefore\":null,\"rollback\":false,\"sha256\":\"" + SHA + "\","
        + "\"size\":182734,\"statement\":\"edgeai4j-model-release-v2\",\"target\":null,\"version\":3}");
    ModelRelease renewed = ModelRelease.fromJson("m", with("uri", "\"https://other.example/p.zip?sig=new\""), P);
    assertThat(renewed.signedStatement()).as("the URI is not signed").isEqualTo(plain.signedStatement());
  }

  @Test
  void constructorAndOfValidateToo() {
    URI uri = URI.create("https://a.example/p.zip");
    assertThatThrownBy(() -> new ModelRelease("m", 1, uri, "abc", 1, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("models.m.sha256: expected 64 hex digits, found 'abc'")
        .hasCauseInstanceOf(InvalidReleaseException.class);
    assertThatThrownBy(() -> ModelRelease.of("m", 0, uri, SHA, 1, null, null, null, null, null, null, false))
        .isInstanceOf(InvalidReleaseException.class)
        .hasMessage("models.m.version: expected an integer >= 1, found 0");
    assertThatThrownBy(() -> new ModelRelease("m", 1, uri, SHA, 1, null, null, null, null).withSignature("%%"))
        .hasMessage("models.m.signature: expected non-empty base64, found '%%'");
  }
}
