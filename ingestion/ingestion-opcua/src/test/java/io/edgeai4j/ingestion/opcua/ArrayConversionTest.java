package io.edgeai4j.ingestion.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import io.edgeai4j.ingestion.source.SampleBlock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.encoding.DefaultEncodingContext;
import org.eclipse.milo.opcua.stack.core.encoding.binary.OpcUaBinaryDecoder;
import org.eclipse.milo.opcua.stack.core.encoding.binary.OpcUaBinaryEncoder;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.Matrix;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OPC UA arrays to sample blocks. Each value goes through Milo's binary encoder and decoder first, so
 * the conversion sees the Java types a Milo client really delivers.
 */
class ArrayConversionTest {
  private static final Instant SOURCE = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant SERVER = Instant.parse("2024-05-01T10:00:01Z");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:02Z"), ZoneOffset.UTC);
  private static final OptionalDouble RATE = OptionalDouble.of(1000);

  static Stream<Arguments> numericArrays() {
    return Stream.of(
        Arguments.of(Variant.ofDoubleArray(new double[] {1.5, -2.25, 3}), new double[] {1.5, -2.25, 3}),
        Arguments.of(Variant.ofDoubleArray(new Double[] {1.5, Double.NaN}), new double[] {1.5, Double.NaN}),
        Arguments.of(Variant.ofFloatArray(new float[] {0.1f, -7.5f}), new double[] {0.1, -7.5}),
        Arguments.of(Variant.ofSByteArray(new byte[] {-128, 127}), new double[] {-128, 127}),
        Arguments.of(Variant.ofByteArray(new org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte[] {
            ubyte(0), ubyte(255)}), new double[] {0, 255}),
        Arguments.of(Variant.ofInt16Array(new short[] {-32768, 300}), new double[] {-32768, 300}),
        Arguments.of(Variant.ofUInt16Array(new org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort[] {
            ushort(65535)}), new double[] {65535}),
        Arguments.of(Variant.ofInt32Array(new int[] {70_000, -1}), new double[] {70_000, -1}),
        Arguments.of(Variant.ofUInt32Array(new org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger[] {
            uint(4_000_000_000L)}), new double[] {4_000_000_000d}),
        Arguments.of(Variant.ofInt64Array(new long[] {5_000_000_000L}), new double[] {5_000_000_000d}),
        Arguments.of(Variant.ofUInt64Array(new ULong[] {ulong(42), ULong.MAX}), new double[] {42, 1.8446744073709552E19}),
        Arguments.of(Variant.ofVariantArray(new Variant[] {new Variant(1.0), new Variant(2), new Variant(0.5f)}),
            new double[] {1, 2, 0.5}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numericArrays")
  void aNumericArrayBecomesABlockOfItsSamplesInOrder(Variant variant, double[] expected) {
    DataValueConversion.Converted converted = convert(variant, RATE);

    assertThat(converted.reading()).isNull();
    SampleBlock block = converted.block();
    assertThat(block.values()).containsExactly(expected);
    assertThat(block.sensor()).isEqualTo("s");
    assertThat(block.start()).isEqualTo(SOURCE);
    assertThat(block.sampleRateHz()).isEqualTo(1000);
    assertThat(block.unit()).isEqualTo("g");
    assertThat(block.properties()).containsEntry(DataValueConversion.NODE_ID_PROPERTY, "ns=2;s=X")
        .containsEntry(DataValueConversion.TIMESTAMP_SOURCE_PROPERTY, "source")
        .doesNotContainKey(DataValueConversion.STATUS_PROPERTY);
  }

  static Stream<Arguments> refusedArrays() {
    return Stream.of(
        Arguments.of(Variant.ofMatrix(Matrix.ofDouble(new double[][] {{1, 2, 3}, {4, 5, 6}})),
            "a matrix of 2x3 values; expected a one-dimensional numeric array (multidimensional values are not sampled)"),
        Arguments.of(Variant.ofDoubleArray(new double[0]),
            "an empty array Double[0]; a block needs at least one sample"),
        Arguments.of(Variant.ofBooleanArray(new boolean[] {true, false}), "a Boolean[2] array; expected a numeric array"),
        Arguments.of(Variant.ofStringArray(new String[] {"1.5", "2"}), "a String[2] array; expected a numeric array"),
        Arguments.of(Variant.ofVariantArray(new Variant[] {new Variant(1.0), Variant.NULL_VALUE}),
            "element 1 of Variant[2] is null; a block needs every sample"),
        Arguments.of(Variant.ofVariantArray(new Variant[] {new Variant(1.0), new Variant("2.5")}),
            "element 1 of Variant[2] is a String (2.5); expected a number"),
        Arguments.of(Variant.ofVariantArray(new Variant[] {new Variant(true)}),
            "element 0 of Variant[1] is a Boolean (true); expected a number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedArrays")
  void anArrayThatCannotBeABlockBecomesANullReadingWithTheReason(Variant variant, String reason) {
    DataValueConversion.Converted converted = convert(variant, RATE);

    assertThat(converted.block()).isNull();
    assertThat(converted.reading().value()).isNull();
    assertThat(converted.reading().timestamp()).isEqualTo(SOURCE);
    assertThat(converted.reading().properties()).containsEntry(DataValueConversion.ERROR_PROPERTY, reason);
  }

  @Test
  void withoutAConfiguredSampleRateTheReasonNamesTheSetting() {
    DataValueConversion.Converted converted = convert(Variant.ofDoubleArray(new double[] {1, 2}),
        OptionalDouble.empty());

    assertThat(converted.block()).isNull();
    assertThat(converted.reading().value()).isNull();
    assertThat(converted.reading().properties()).containsEntry(DataValueConversion.ERROR_PROPERTY,
        "an array of 2 samples needs a sample rate to become a block; set sensors.s.sampleRateHz in the module twin");
  }

  @Test
  void theBlockStartsAtTheSourceTimeElseTheServerTimeElseTheClockAndSaysWhich() {
    Variant samples = Variant.ofDoubleArray(new double[] {1, 2});
    SampleBlock source = DataValueConversion.convert("s", "n", null,
        new DataValue(samples, StatusCode.GOOD, new DateTime(SOURCE), new DateTime(SERVER)), CLOCK, () -> RATE).block();
    SampleBlock server = DataValueConversion.convert("s", "n", null,
        new DataValue(samples, StatusCode.GOOD, null, new DateTime(SERVER)), CLOCK, () -> RATE).block();
    SampleBlock received = DataValueConversion.convert("s", "n", null,
        new DataValue(samples, StatusCode.GOOD, DateTime.NULL_VALUE, DateTime.NULL_VALUE), CLOCK, () -> RATE).block();

    assertThat(source.start()).isEqualTo(SOURCE);
    assertThat(source.properties()).containsEntry(DataValueConversion.TIMESTAMP_SOURCE_PROPERTY, "source");
    assertThat(server.start()).isEqualTo(SERVER);
    assertThat(server.properties()).containsEntry(DataValueConversion.TIMESTAMP_SOURCE_PROPERTY, "server");
    assertThat(received.start()).isEqualTo(CLOCK.instant());
    assertThat(received.properties()).containsEntry(DataValueConversion.TIMESTAMP_SOURCE_PROPERTY, "received");
    assertThat(source.timeOf(1)).isEqualTo(SOURCE.plusMillis(1));
  }

  @Test
  void aBadArrayIsANullReadingWithItsStatusAndAnUncertainOneABlockWithItsStatus() {
    Variant samples = Variant.ofDoubleArray(new double[] {1, 2});
    DataValueConversion.Converted bad = DataValueConversion.convert("s", "n", null,
        new DataValue(samples, new StatusCode(StatusCodes.Bad_SensorFailure), new DateTime(SOURCE)), CLOCK, () -> RATE);
    DataValueConversion.Converted uncertain = DataValueConversion.convert("s", "n", null,
        new DataValue(samples, new StatusCode(StatusCodes.Uncertain_LastUsableValue), new DateTime(SOURCE)), CLOCK,
        () -> RATE);

    assertThat(bad.block()).isNull();
    assertThat(bad.reading().value()).isNull();
    assertThat(bad.reading().properties()).containsEntry(DataValueConversion.STATUS_PROPERTY, "Bad_SensorFailure");
    assertThat(uncertain.block().values()).containsExactly(1, 2);
    assertThat(uncertain.block().properties())
        .containsEntry(DataValueConversion.STATUS_PROPERTY, "Uncertain_LastUsableValue");
  }

  @Test
  void aScalarStaysAReadingAndTheSampleRateIsNotAskedFor() {
    DataValueConversion.Converted converted = DataValueConversion.convert("s", "n", null,
        new DataValue(new Variant(2.5), StatusCode.GOOD, new DateTime(SOURCE)), CLOCK, () -> {
          throw new AssertionError("asked for the sample rate of a scalar");
        });

    assertThat(converted.block()).isNull();
    assertThat(converted.reading().value()).isEqualTo(2.5);
  }

  private static DataValueConversion.Converted convert(Variant variant, OptionalDouble rate) {
    return DataValueConversion.convert("s", "ns=2;s=X", "g",
        new DataValue(roundTrip(variant), StatusCode.GOOD, new DateTime(SOURCE)), CLOCK, () -> rate);
  }

  /** The variant as a Milo client decodes it off the wire. */
  private static Variant roundTrip(Variant variant) {
    ByteBuf buffer = Unpooled.buffer();
    try {
      new OpcUaBinaryEncoder(DefaultEncodingContext.INSTANCE).setBuffer(buffer).encodeVariant(variant);
      return new OpcUaBinaryDecoder(DefaultEncodingContext.INSTANCE).setBuffer(buffer).decodeVariant();
    } finally {
      buffer.release();
    }
  }
}
