package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code $body} queries: paths, kinds, encodings, content types and bodies that are not JSON. */
class BodyQueryTest {
  private static final String BODY =
      """
      {
        "device": {
          "name": "press-7",
          "temp": 71.5,
          "ok": true,
          "alarm": false,
          "notes": null,
          "readings": [10, 20, 30],
          "parts": [{"id": "a", "qty": 2}, {"id": "b", "qty": 5}],
          "since": "2024-05-01T08:30:00Z",
          "meta": {"site": "Plant 3"}
        },
        "count": 3,
        "matrix": [[1, 2], [3, 4]],
        "big": 123456789012345678901234567890
      }
      """;

  private static final RoutingMessage MESSAGE = Fixtures.json(BODY);

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          $body.device.name = 'press-7'                          => TRUE
          $BODY.device.name = 'press-7'                          => TRUE
          {$body.device.name} = 'press-7'                        => TRUE
          $body.device.name = 'press-8'                          => FALSE
          $body.Device.name = 'press-7'                          => FALSE
          $body.device.temp > 70                                 => TRUE
          $body.device.temp = 71.5                               => TRUE
          70 >= $body.device.temp                                => FALSE
          $body.count + 1 = 4                                    => TRUE
          $body.count * 2 = 6                                    => TRUE
          $body.count / 2 = 1.5                                  => TRUE
          $body.count - $body.device.readings[0] = -7            => TRUE
          $body.big > 1e29                                       => TRUE
          $body.device.readings[1] = 20                          => TRUE
          $body.device.readings[2] = 20                          => FALSE
          $body.device.parts[1].qty = 5                          => TRUE
          $body.device.parts[0].id = 'a'                         => TRUE
          $body.$.count = 3                                      => TRUE
          $body.device.*.site = 'Plant 3'                        => TRUE
          $body.device.ok                                        => TRUE
          $body.device.alarm                                     => FALSE
          NOT $body.device.alarm                                 => TRUE
          $body.device.ok AND $body.device.alarm                 => FALSE
          $body.device.ok OR false                               => TRUE
          $body.device.ok AND undefined                          => UNDEFINED
          $body.device.ok = true                                 => TRUE
          $body.device.notes = null                              => TRUE
          $body.device.nothing = null                            => TRUE
          $body.device.readings[3] = null                        => TRUE
          $body.device.readings[3] = 0                           => FALSE
          $body.device.temp = '71.5'                             => FALSE
          $body.device.temp < 'a'                                => TRUE
          $body.device.meta = 'x'                                => UNDEFINED
          $body.device.readings = 'x'                            => UNDEFINED
          $body.device                                           => UNDEFINED
          $body.device.since = '2024-05-01T08:30:00Z'            => UNDEFINED
          $body.device.name + 1 = 2                              => UNDEFINED
          $body.device.readings[0][1] = 1                        => FALSE
          $body.device.readings[0]x = 1                          => UNDEFINED
          $body.matrix[1][0] = 3                                 => TRUE
          $body.matrix[0][-1] = 1                                => UNDEFINED
          $missing = $body.device.name                           => UNDEFINED
          is_defined($body.device.name)                          => TRUE
          is_defined($body.device.meta)                          => FALSE
          is_defined($body.device.nothing)                       => TRUE
          is_null($body.device.notes)                            => TRUE
          is_null($body.device.nothing)                          => FALSE
          is_null($body.device.name)                             => TRUE
          is_null($body.device.meta)                             => UNDEFINED
          is_string($body.device.name)                           => TRUE
          is_string($body.device.temp)                           => FALSE
          is_number($body.device.temp)                           => TRUE
          is_number($body.device.name)                           => FALSE
          is_bool($body.device.ok)                               => TRUE
          is_bool($body.device.name)                             => FALSE
          is_bool($body.device.meta)                             => UNDEFINED
          as_number($body.count) = 3                             => TRUE
          abs(0 - $body.device.temp) = 71.5                      => TRUE
          length($body.device.name) = 7                          => TRUE
          upper($body.device.meta.site) = 'PLANT 3'              => TRUE
          concat($body.device.name, '/', $body.device.meta.site) = 'press-7/Plant 3' => TRUE
          $body.device.name || '!' = 'press-7!'                  => TRUE
          concat($body.device.name, $body.count) = 'press-73'    => UNDEFINED
          substring($body.device.name, $body.count) = 'ss-7'     => TRUE
          contains($body.device.meta.site, 'Plant')              => TRUE
          ($body.device.nothing ?? 'x') = null                   => TRUE
          ($body.device.meta ?? 'fallback') = 'fallback'         => TRUE
          """)
  void queriesTheJsonBody(String condition, TriState expected) throws RouteException {
    assertThat(Fixtures.evaluate(condition, MESSAGE)).isEqualTo(expected);
  }

  @Test
  void anApplicationPropertyNamedLikeTheQueryWinsUnlessTheQueryIsEscaped() throws RouteException {
    RoutingMessage message =
        new RoutingMessage(
            MESSAGE.sourcePath(),
            Map.of("$body.count", "99"),
            MESSAGE.systemProperties(),
            MESSAGE.body());

    assertThat(Fixtures.evaluate("$body.count = '99'", message)).isEqualTo(TriState.TRUE);
    assertThat(Fixtures.evaluate("{$body.count} = 3", message)).isEqualTo(TriState.TRUE);
  }

  @ParameterizedTest(name = "{1} as {0}")
  @CsvSource({
    "utf-8, UTF-8",
    "UTF-8, UTF-8",
    "utf-16, UTF-16LE",
    "Utf-16, UTF-16LE",
    "utf-32, UTF-32LE",
    "UTF-32, UTF-32LE"
  })
  void decodesEachSupportedEncodingIgnoringCase(String contentEncoding, String charset)
      throws RouteException {
    RoutingMessage message =
        Fixtures.json("{\"city\": \"Zürich\"}", contentEncoding, Charset.forName(charset));

    assertThat(Fixtures.evaluate("$body.city = 'Zürich'", message)).isEqualTo(TriState.TRUE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      nullValues = "NONE",
      textBlock =
          """
          application/json                 => utf-8   => TRUE
          APPLICATION/JSON                 => utf-8   => TRUE
          application/json; charset=utf-8  => utf-8   => UNDEFINED
          text/plain                       => utf-8   => UNDEFINED
          NONE                             => utf-8   => UNDEFINED
          application/json                 => NONE    => UNDEFINED
          application/json                 => latin1  => UNDEFINED
          application/json                 => utf8    => UNDEFINED
          """)
  void needsJsonContentTypeAndSupportedEncoding(
      String contentType, String contentEncoding, TriState expected) throws RouteException {
    Map<String, String> system = new java.util.HashMap<>();
    if (contentType != null) {
      system.put("contentType", contentType);
    }
    if (contentEncoding != null) {
      system.put("contentEncoding", contentEncoding);
    }
    RoutingMessage message =
        new RoutingMessage(
            "/messages/", null, system, "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));

    assertThat(Fixtures.evaluate("$body.a = 1", message)).isEqualTo(expected);
  }

  @Test
  void systemPropertyNamesAreMatchedIgnoringCase() throws RouteException {
    RoutingMessage message =
        new RoutingMessage(
            "/messages/",
            null,
            Map.of("CONTENTTYPE", "application/json", "ContentEncoding", "utf-8"),
            "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));

    assertThat(Fixtures.evaluate("$body.a = 1", message)).isEqualTo(TriState.TRUE);
  }

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          {"a": 1                                   => UNDEFINED
          [{"a": 1}]                                => UNDEFINED
          "a"                                       => UNDEFINED
          {"a": 1} trailing                         => UNDEFINED
          {"a": 1} {"a": 1}                         => UNDEFINED
          not json at all                           => UNDEFINED
          {'a': 1}                                  => TRUE
          {a: 1}                                    => TRUE
          {"a": 1, /* note */ "b": 2,}              => TRUE
          {"a": 1} // trailing comment              => TRUE
          {"a": 2, "a": 1}                          => TRUE
          """)
  void readsTheBodyWithJsonNetsLeniencyAndNoMore(String body, TriState expected)
      throws RouteException {
    assertThat(Fixtures.evaluate("$body.a = 1", Fixtures.json(body))).isEqualTo(expected);
  }

  @Test
  void anEmptyBodyOrAByteOrderMarkMakesTheQueryUndefined() throws RouteException {
    assertThat(Fixtures.evaluate("$body.a = 1", Fixtures.json(""))).isEqualTo(TriState.UNDEFINED);
    assertThat(Fixtures.evaluate("$body.a = 1", Fixtures.json("\ufeff{\"a\": 1}")))
        .isEqualTo(TriState.UNDEFINED);
  }

  @Test
  void bytesInTheWrongEncodingMakeTheQueryUndefined() throws RouteException {
    RoutingMessage message = Fixtures.json("{\"a\": 1}", "utf-8", StandardCharsets.UTF_16LE);

    assertThat(Fixtures.evaluate("$body.a = 1", message)).isEqualTo(TriState.UNDEFINED);
  }

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          2024-05-01T08:30:00Z             => true
          2024-05-01T08:30:00.1234567+02:00 => true
          2024-05-01T08:30:00-0130          => true
          2024-02-29T00:00:00               => true
          2024-05-01T24:00:00               => true
          /Date(1714552200000)/             => true
          /Date(-5+0100)/                   => true
          2023-02-29T00:00:00               => false
          2024-05-01 08:30:00               => false
          2024-05-01T08:30                  => false
          2024-05-01T08:30:00.              => false
          2024-05-01T24:00:01               => false
          2024-13-01T00:00:00               => false
          24-05-01T08:30:00Z                => false
          /Date(abc)/                       => false
          press-7                           => false
          """)
  void recognisesTheStringsJsonNetReadsAsDates(String text, boolean date) {
    assertThat(MessageBody.isJsonNetDate(text)).isEqualTo(date);
  }
}
