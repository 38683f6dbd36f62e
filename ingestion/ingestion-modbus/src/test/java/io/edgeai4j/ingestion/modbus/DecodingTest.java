package io.edgeai4j.ingestion.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every data type in every word and byte order, read from a real Modbus TCP server: the server holds
 * the registers as a device manual would list them (hex words, in address order) and the reading must
 * carry the value those words mean. One source polls all rows once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecodingTest {
  /**
   * One point: its table, type and layout settings, the words (or bit) the server holds from its
   * address on, and the value expected.
   */
  record Row(String label, String table, String dataType, String layout, int[] words, Object expected) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Row holding(String label, String dataType, String layout, Object expected, int... words) {
    return new Row(label, "holdingRegister", dataType, layout, words, expected);
  }

  static final List<Row> ROWS = List.of(
      holding("int16 AB negative", "int16", "'order': 'AB'", -123.0, 0xFF85),
      holding("int16 BA negative", "int16", "'order': 'BA'", -123.0, 0x85FF),
      holding("int16 byteOrder littleEndian", "int16", "'byteOrder': 'littleEndian'", -123.0, 0x85FF),
      holding("int16 max", "int16", "", 32767.0, 0x7FFF),
      holding("int16 min", "int16", "", -32768.0, 0x8000),
      holding("uint16 AB", "uint16", "", 65413.0, 0xFF85),
      holding("uint16 BA", "uint16", "'order': 'BA'", 65413.0, 0x85FF),
      holding("uint16 is the default type", null, "", 65535.0, 0xFFFF),
      holding("int32 ABCD negative", "int32", "'order': 'ABCD'", -123456.0, 0xFFFE, 0x1DC0),
      holding("int32 CDAB negative", "int32", "'order': 'CDAB'", -123456.0, 0x1DC0, 0xFFFE),
      holding("int32 BADC negative", "int32", "'order': 'BADC'", -123456.0, 0xFEFF, 0xC01D),
      holding("int32 DCBA negative", "int32", "'order': 'DCBA'", -123456.0, 0xC01D, 0xFEFF),
      holding("int32 min, default order", "int32", "", -2147483648.0, 0x8000, 0x0000),
      holding("int32 wordOrder littleEndian", "int32", "'wordOrder': 'littleEndian'", 65537.0 * 2, 0x0002, 0x0002),
      holding("uint32 ABCD above 2^31", "uint32", "'order': 'ABCD'", 3735928559.0, 0xDEAD, 0xBEEF),
      holding("uint32 CDAB above 2^31", "uint32", "'order': 'CDAB'", 3735928559.0, 0xBEEF, 0xDEAD),
      holding("uint32 BADC above 2^31", "uint32", "'order': 'BADC'", 3735928559.0, 0xADDE, 0xEFBE),
      holding("uint32 DCBA above 2^31", "uint32", "'order': 'DCBA'", 3735928559.0, 0xEFBE, 0xADDE),
      holding("uint32 max", "uint32", "", 4294967295.0, 0xFFFF, 0xFFFF),
      holding("float32 ABCD", "float32", "'order': 'ABCD'", 1.5, 0x3FC0, 0x0000),
      holding("float32 CDAB", "float32", "'order': 'CDAB'", 1.5, 0x0000, 0x3FC0),
      holding("float32 BADC", "float32", "'order': 'BADC'", 1.5, 0xC03F, 0x0000),
      holding("float32 DCBA", "float32", "'order': 'DCBA'", 1.5, 0x0000, 0xC03F),
      holding("float32 negative ABCD", "float32", "", -273.1499938964844, 0xC388, 0x9333),
      holding("float32 negative DCBA", "float32", "'wordOrder': 'littleEndian', 'byteOrder': 'littleEndian'",
          -273.1499938964844, 0x3393, 0x88C3),
      holding("float32 NaN passes through", "float32", "", Double.NaN, 0x7FC0, 0x0000),
      holding("float32 +Inf passes through", "float32", "", Double.POSITIVE_INFINITY, 0x7F80, 0x0000),
      holding("float32 -Inf CDAB passes through", "float32", "'order': 'CDAB'", Double.NEGATIVE_INFINITY,
          0x0000, 0xFF80),
      holding("int16 scaled and offset", "int16", "'scale': 0.1, 'offset': 10", -2.3, 0xFF85),
      holding("uint16 scaled, negative offset", "uint16", "'scale': 0.01, 'offset': -5", 5.0, 1000),
      holding("uint32 CDAB scaled", "uint32", "'order': 'CDAB', 'scale': 0.001", 3735928.559, 0xBEEF, 0xDEAD),
      holding("float32 scale -2", "float32", "'scale': -2, 'offset': 1", -2.0, 0x3FC0, 0x0000),
      new Row("input register int16", "inputRegister", "int16", "'scale': 0.5", new int[] {0xFFFE}, -1.0),
      new Row("input register float32 CDAB", "inputRegister", "float32", "'order': 'CDAB'",
          new int[] {0x0000, 0x3FC0}, 1.5),
      new Row("coil on", "coil", "bool", "", new int[] {1}, true),
      new Row("coil off, type left out", "coil", null, "", new int[] {0}, false),
      new Row("discrete input on", "discreteInput", "bool", "", new int[] {1}, true),
      new Row("discrete input off", "discreteInput", null, "", new int[] {0}, false));

  @TempDir
  Path stateDirectory;

  private TestModbusServer server;
  private RecordingSourceContext context;
  private ModbusSource source;
  private Instant beforeStart;
  private Instant afterFirstPoll;

  static Stream<Row> rows() {
    return ROWS.stream();
  }

  /** Each row's point is at 10 × its index, so that none overlaps another. */
  private static int address(int index) {
    return 10 * index;
  }

  @BeforeAll
  void pollEveryRowOnce() throws Exception {
    server = TestModbusServer.start();
    String points = IntStream.range(0, ROWS.size()).mapToObj(i -> {
      Row row = ROWS.get(i);
      switch (row.table()) {
        case "holdingRegister" -> server.holding(address(i), row.words());
        case "inputRegister" -> server.input(address(i), row.words());
        case "coil" -> server.coil(address(i), row.words()[0] == 1);
        default -> server.discreteInput(address(i), row.words()[0] == 1);
      }
      return "'row" + i + "': {'table': '" + row.table() + "', 'address': " + address(i)
          + (row.dataType() == null ? "" : ", 'dataType': '" + row.dataType() + "'")
          + (row.layout().isEmpty() ? "" : ", " + row.layout()) + ", 'unit': 'u" + i + "'}";
    }).collect(Collectors.joining(", "));
    ModbusSettings settings = new ModbusSourceProvider().parse(SettingsTest.json(
        "{'host': '127.0.0.1', 'port': " + server.port() + ", 'pollIntervalMillis': 3600000, 'points': {" + points
            + "}}"));
    context = new RecordingSourceContext("decoding", stateDirectory);
    source = new ModbusSource(settings, context);
    beforeStart = Instant.now();
    source.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> context.readings().size() >= ROWS.size());
    afterFirstPoll = Instant.now();
  }

  @AfterAll
  void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Reading readingOf(Row row) {
    return context.readings("row" + ROWS.indexOf(row)).get(0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theReadingCarriesTheValueTheServerHolds(Row row) {
    Object value = readingOf(row).value();

    if (row.expected() instanceof Boolean expected) {
      assertThat(value).isInstanceOf(Boolean.class).isEqualTo(expected);
    } else {
      double expected = (Double) row.expected();
      assertThat(value).isInstanceOf(Double.class);
      if (Double.isNaN(expected)) {
        assertThat((Double) value).isNaN();
      } else if (Double.isInfinite(expected)) {
        assertThat((Double) value).isEqualTo(expected);
      } else {
        assertThat((Double) value).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
      }
    }
  }

  @Test
  void everyReadingOfOnePollCarriesThePollsTimestampAndItsUnit() {
    List<Reading> readings = context.readings();

    assertThat(readings).hasSize(ROWS.size());
    assertThat(readings).extracting(Reading::timestamp).containsOnly(readings.get(0).timestamp());
    assertThat(readings.get(0).timestamp()).isBetween(beforeStart, afterFirstPoll);
    assertThat(readings).allSatisfy(r -> assertThat(r.unit()).isEqualTo("u" + r.sensor().substring("row".length())));
  }

  @Test
  void theRowsAreReadInAFewGroupedRequests() {
    // Rows are 10 addresses apart (a gap of at most 9 < 16), so each table is one request, except that the
    // holding registers span more than 125.
    assertThat(server.requests()).extracting(TestModbusServer.Request::table).containsExactly(
        Table.HOLDING_REGISTER, Table.HOLDING_REGISTER, Table.HOLDING_REGISTER, Table.INPUT_REGISTER, Table.COIL,
        Table.DISCRETE_INPUT);
  }
}
