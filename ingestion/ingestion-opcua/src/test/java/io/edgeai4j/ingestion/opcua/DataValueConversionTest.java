package io.edgeai4j.ingestion.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import io.edgeai4j.ingestion.source.Reading;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OPC UA values to readings. */
class DataValueConversionTest {
  private static final Instant SOURCE = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant SERVER = Instant.parse("2024-05-01T10:00:01Z");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:02Z"), ZoneOffset.UTC);

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of((byte) -5, -5L),
        Arguments.of((short) 300, 300L),
        Arguments.of(70_000, 70_000L),
        Arguments.of(5_000_000_000L, 5_000_000_000L),
        Arguments.of(ubyte(200), 200L),
        Arguments.of(ushort(65_000), 65_000L),
        Arguments.of(uint(4_000_000_000L), 4_000_000_000L),
        Arguments.of(ulong(42), 42L),
        Arguments.of(ULong.MAX, 1.8446744073709552E19),
        Arguments.of(0.1f, 0.1),
        Arguments.of(2.5, 2.5),
        Arguments.of(true, true),
        Arguments.of("auto", "auto"),
        Arguments.of(LocalizedText.english("Running"), "Running"),
        Arguments.of(new DateTime(SOURCE), "2024-05-01T10:00:00Z"),
        Arguments.of(new Integer[] {1, 2}, "[1, 2]"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("values")
  void valuesBecomeLongDoubleBooleanOrString(Object opcUaValue, Object expected) {
    Reading reading = DataValueConversion.toReading("s", "ns=2;s=X", "u",
        new DataValue(new Variant(opcUaValue), StatusCode.GOOD, new DateTime(SOURCE)), CLOCK);
    assertThat(reading.value()).isEqualTo(expected);
    assertThat(reading.unit()).isEqualTo("u");
  }

  @Test
  void theTimestampIsTheSourceTimeElseTheServerTimeElseTheClock() {
    Variant value = new Variant(1.0);
    assertThat(DataValueConversion.timestamp(
        new DataValue(value, StatusCode.GOOD, new DateTime(SOURCE), new DateTime(SERVER)), CLOCK)).isEqualTo(SOURCE);
    assertThat(DataValueConversion.timestamp(
        new DataValue(value, StatusCode.GOOD, null, new DateTime(SERVER)), CLOCK)).isEqualTo(SERVER);
    assertThat(DataValueConversion.timestamp(
        new DataValue(value, StatusCode.GOOD, DateTime.NULL_VALUE, DateTime.NULL_VALUE), CLOCK)).isEqualTo(CLOCK.instant());
  }

  @Test
  void aBadValueIsNullWithItsStatusAndAnUncertainOneKeepsItsValue() {
    Reading bad = DataValueConversion.toReading("s", "ns=2;s=X", null,
        new DataValue(new Variant(3.0), new StatusCode(StatusCodes.Bad_CommunicationError), new DateTime(SOURCE)), CLOCK);
    assertThat(bad.value()).isNull();
    assertThat(bad.properties()).containsEntry("opcuaStatus", "Bad_CommunicationError")
        .containsEntry("opcuaNodeId", "ns=2;s=X");
    Reading uncertain = DataValueConversion.toReading("s", "ns=2;s=X", null,
        new DataValue(new Variant(3.0), new StatusCode(StatusCodes.Uncertain_LastUsableValue), new DateTime(SOURCE)),
        CLOCK);
    assertThat(uncertain.value()).isEqualTo(3.0);
    assertThat(uncertain.properties()).containsEntry("opcuaStatus", "Uncertain_LastUsableValue");
  }
}
