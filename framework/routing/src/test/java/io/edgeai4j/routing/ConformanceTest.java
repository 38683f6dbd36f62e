package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table: {@code conformance/conditions.table}, one row per condition, each
 * evaluated in {@code FROM /messages WHERE <condition> INTO $upstream} against a named message of
 * {@code conformance/messages.json}, with the result edgeHub gives (TRUE, FALSE, UNDEFINED, or
 * ERROR when edgeHub refuses to compile the route) and the edgeHub source it comes from.
 */
class ConformanceTest {
  private static final String DIR = "/io/edgeai4j/routing/conformance/";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SEPARATOR = " | ";

  /** A row of the table. */
  record Row(int line, String message, String condition, String expected, String basis) {
    @Override
    public String toString() {
      return "line " + line + ": [" + message + "] " + condition + " => " + expected;
    }
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = ConformanceTest.class.getResourceAsStream(DIR + "conditions.table");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String text;
      int line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank() || text.startsWith("#")) {
          continue;
        }
        int first = text.indexOf(SEPARATOR);
        int last = text.lastIndexOf(SEPARATOR);
        int middle = text.lastIndexOf(SEPARATOR, last - 1);
        if (first < 0 || middle <= first) {
          throw new IllegalStateException(
              "conditions.table line " + line + ": expected 'message | condition | expected |"
                  + " basis', found: " + text);
        }
        rows.add(
            new Row(
                line,
                text.substring(0, first).trim(),
                text.substring(first + SEPARATOR.length(), middle).trim(),
                text.substring(middle + SEPARATOR.length(), last).trim(),
                text.substring(last + SEPARATOR.length()).trim()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static final Map<String, RoutingMessage> MESSAGES = loadMessages();

  private static Map<String, RoutingMessage> loadMessages() {
    JsonNode root;
    try (InputStream in = ConformanceTest.class.getResourceAsStream(DIR + "messages.json")) {
      root = MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, RoutingMessage> messages = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().startsWith("_")) {
        continue;
      }
      JsonNode m = entry.getValue();
      JsonNode body = m.get("body");
      Charset charset =
          m.has("bodyCharset") ? Charset.forName(m.get("bodyCharset").asText()) : StandardCharsets.UTF_8;
      byte[] bytes =
          body == null ? new byte[0] : (body.isTextual() ? body.asText() : body.toString()).getBytes(charset);
      messages.put(
          entry.getKey(),
          new RoutingMessage(
              m.has("source") ? m.get("source").asText() : MessageSource.TELEMETRY_PATH,
              strings(m.get("properties")),
              strings(m.get("systemProperties")),
              bytes));
    }
    return messages;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node != null) {
      node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    }
    return map;
  }

  static Stream<Arguments> table() {
    return rows().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void evaluatesAsEdgeHubDoes(Row row) throws RouteException {
    RoutingMessage message = MESSAGES.get(row.message());
    assertThat(message).as("message '%s' of %s is in messages.json", row.message(), row).isNotNull();
    String route = "FROM /messages WHERE " + row.condition() + " INTO $upstream";
    if (row.expected().equals("ERROR")) {
      try {
        TriState result = Route.parse(route).condition().evaluate(message);
        fail("%s (basis: %s): compiled and gave %s", row, row.basis(), result);
      } catch (RouteException expected) {
        return;
      }
    }
    TriState expected = TriState.valueOf(row.expected());
    assertThat(Route.parse(route).condition().evaluate(message))
        .as("%s (basis: %s)", row, row.basis())
        .isEqualTo(expected);
  }

  @Test
  void everyRowNamesAKnownMessageAResultAndABasis() {
    Set<String> results = Set.of("TRUE", "FALSE", "UNDEFINED", "ERROR");
    Set<String> seen = new HashSet<>();
    for (Row row : rows()) {
      assertThat(MESSAGES).as(row.toString()).containsKey(row.message());
      assertThat(results).as(row.toString()).contains(row.expected());
      assertThat(row.basis()).as(row.toString()).isNotBlank();
      assertThat(seen.add(row.message() + " " + row.condition())).as("duplicate " + row).isTrue();
    }
    assertThat(rows()).hasSizeGreaterThan(300);
  }
}
