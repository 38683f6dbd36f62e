package io.edgeai4j.ingestion.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.Matrix;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which data values {@link RedeliveryFilter} takes for a second delivery of one already passed on. */
class RedeliveryFilterTest {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");

  /**
   * Each row: a value passed on first, a second value that differs from it in one respect (or in none), and
   * whether the second is new. Values are decoded afresh for each delivery, so arrays are equal instances.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      the same double, status and timestamps       | double | double    | false
      the same array content in another instance   | array  | array     | false
      the same matrix content in another instance  | matrix | matrix    | false
      a bad status with no value, again            | bad    | bad       | false
      another value                                | double | double+1  | true
      another array element                        | array  | array+1   | true
      another status                               | double | uncertain | true
      another source timestamp                     | double | source+1  | true
      the same value sampled again by the server   | double | server+1  | true
      no source timestamp, another server time     | nosrc  | nosrc+1   | true
      """)
  void aValueIsARepeatOnlyWhenValueStatusAndBothTimestampsAreEqual(String row, String first, String second,
      boolean secondIsNew) {
    RedeliveryFilter filter = new RedeliveryFilter();

    assertThat(filter.firstDelivery(value(first))).isTrue();
    assertThat(filter.firstDelivery(value(second))).isEqualTo(secondIsNew);
  }

  @Test
  void onlyTheLastWindowOfValuesIsRemembered() {
    RedeliveryFilter filter = new RedeliveryFilter();
    for (int tick = 0; tick <= RedeliveryFilter.WINDOW; tick++) {
      assertThat(filter.firstDelivery(tick(tick))).isTrue();
    }

    assertThat(filter.firstDelivery(tick(1))).as("among the last %d", RedeliveryFilter.WINDOW).isFalse();
    assertThat(filter.firstDelivery(tick(0))).as("older than the last %d", RedeliveryFilter.WINDOW).isTrue();
  }

  @Test
  void aClearedFilterTakesEveryValueAsNew() {
    RedeliveryFilter filter = new RedeliveryFilter();
    filter.firstDelivery(tick(7));

    filter.clear();

    assertThat(filter.firstDelivery(tick(7))).isTrue();
  }

  private static DataValue tick(long tick) {
    DateTime time = new DateTime(T0.plusSeconds(tick));
    return new DataValue(new Variant(20.0 + tick / 2.0), StatusCode.GOOD, time, time);
  }

  private static DataValue value(String kind) {
    DateTime source = new DateTime(T0);
    DateTime server = new DateTime(T0.plusMillis(5));
    DateTime later = new DateTime(T0.plusMillis(50));
    return switch (kind) {
      case "double" -> new DataValue(new Variant(21.5), StatusCode.GOOD, source, server);
      case "double+1" -> new DataValue(new Variant(22.0), StatusCode.GOOD, source, server);
      case "uncertain" -> new DataValue(new Variant(21.5), new StatusCode(StatusCodes.Uncertain_LastUsableValue),
          source, server);
      case "source+1" -> new DataValue(new Variant(21.5), StatusCode.GOOD, later, server);
      case "server+1" -> new DataValue(new Variant(21.5), StatusCode.GOOD, source, later);
      case "array" -> new DataValue(Variant.ofDoubleArray(new double[] {1, 2, 3}), StatusCode.GOOD, source, server);
      case "array+1" -> new DataValue(Variant.ofDoubleArray(new double[] {1, 2, 4}), StatusCode.GOOD, source, server);
      case "matrix" -> new DataValue(Variant.ofMatrix(Matrix.ofDouble(new double[][] {{1, 2}, {3, 4}})),
          StatusCode.GOOD, source, server);
      case "bad" -> new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_SensorFailure), source, server);
      case "nosrc" -> new DataValue(new Variant(21.5), StatusCode.GOOD, null, server);
      case "nosrc+1" -> new DataValue(new Variant(21.5), StatusCode.GOOD, null, later);
      default -> throw new IllegalArgumentException("unknown value kind " + kind);
    };
  }
}
