package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.module.EdgeMessage;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {
  private static final String DOCUMENT = "{\"model\": \"m\u00e9t\u00e9o\", \"inputs\": {\"x\": {\"shape\": [1],"
      + " \"base64\": \"AACAPw==\"}}, \"note\": \"\u00b5s \u2192 \ud83d\ude00\"}";

  private static EdgeMessage message(byte[] body, String contentEncoding) {
    EdgeMessage.Builder builder = EdgeMessage.builder().body(body).contentType("application/json");
    return (contentEncoding.isEmpty() ? builder : builder.contentEncoding(contentEncoding)).build();
  }

  @ParameterizedTest(name = "contentEncoding [{0}]")
  @ValueSource(strings = {"", "utf-8", "UTF-8", "utf8", "utf-16", "UTF-16LE", "utf-16be", "utf-32", "iso-8859-1"})
  void everyCharsetGivesTheFrameworksTree(String contentEncoding) {
    // iso-8859-1 cannot hold the arrow and the emoji: both sides see the same '?'.
    Charset charset = contentEncoding.isEmpty() ? StandardCharsets.UTF_8 : Charset.forName(contentEncoding);
    EdgeMessage message = message(DOCUMENT.getBytes(charset), contentEncoding);
    assertThat(JsonBodies.parse(message)).isEqualTo(message.bodyAsJson());
    assertThat(JsonBodies.parse(message).at("/inputs/x/base64").asText()).isEqualTo("AACAPw==");
    if (!contentEncoding.equals("iso-8859-1")) {
      assertThat(JsonBodies.parse(message).get("note").asText()).isEqualTo("\u00b5s \u2192 \ud83d\ude00");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      invalid UTF-8 in a text  | 7b 22 61 22 3a 22 ff fe 22 7d
      UTF-8 byte-order mark    | ef bb bf 7b 22 61 22 3a 31 7d
      UTF-16 bytes, no mark    | 7b 00 22 00 61 00 22 00 3a 00 31 00 7d 00
      one byte                 | 31
      """)
  void oddUtf8BodiesGiveWhatTheFrameworkGives(String what, String hex) {
    EdgeMessage message = message(bytes(hex), "utf-8");
    Object expected;
    try {
      expected = message.bodyAsJson();
    } catch (IllegalStateException e) {
      expected = e.getMessage();
    }
    Object actual;
    try {
      actual = JsonBodies.parse(message);
    } catch (IllegalStateException e) {
      actual = e.getMessage();
    }
    assertThat(actual).as(what).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON        | utf-8      | {"model": | Message body is not JSON (contentType=application/json)
      empty, utf-16   | utf-16     | {         | Message body is not JSON (contentType=application/json)
      unknown charset | klingon-8  | {}        | Message contentEncoding 'klingon-8' is not a charset
      """)
  void failuresAreTheFrameworksOwn(String what, String contentEncoding, String body, String expected) {
    Charset charset = Charset.isSupported(contentEncoding) ? Charset.forName(contentEncoding) : StandardCharsets.UTF_8;
    EdgeMessage message = message(body.getBytes(charset), contentEncoding);
    assertThatThrownBy(() -> JsonBodies.parse(message)).as(what).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(expected)
        .hasMessage(catchMessage(message));
  }

  private static String catchMessage(EdgeMessage message) {
    try {
      message.bodyAsJson();
      return "(no failure)";
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  private static byte[] bytes(String hex) {
    String[] parts = hex.trim().split("\\s+");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }
}
