package io.edgeai4j.ingestion.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
  private final ModbusSourceProvider provider = new ModbusSourceProvider();

  static ObjectNode json(String json) throws Exception {
    return (ObjectNode) SettingsBinder.mapper().readTree(json.replace('\'', '"'));
  }

  @Test
  void theProviderIsFoundByServiceLoaderUnderTypeModbus() {
    assertThat(ServiceLoader.load(SensorSourceProvider.class).stream().map(ServiceLoader.Provider::get))
        .filteredOn(p -> p.type().equals("modbus"))
        .singleElement()
        .isInstanceOf(ModbusSourceProvider.class);
  }

  @Test
  void defaultsApplyToWhatIsLeftOut() throws Exception {
    ModbusSettings settings = provider.parse(json("""
        {'host': 'plc1', 'points': {
          'flow': {'table': 'holdingRegister', 'address': 3},
          'running': {'table': 'coil', 'address': 7}}}"""));

    assertThat(settings.port()).isEqualTo(502);
    assertThat(settings.unitId()).isEqualTo(1);
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.maxGap()).isEqualTo(15);
    assertThat(settings.sensors()).containsExactly("flow", "running");
    assertThat(settings.points().get("flow"))
        .isEqualTo(new ModbusPoint(Table.HOLDING_REGISTER, 3, DataType.UINT16, Endianness.BIG, Endianness.BIG, 1, 0,
            null));
    assertThat(settings.points().get("running")).isEqualTo(ModbusPoint.of(Table.COIL, 7, DataType.BOOL));
  }

  @Test
  void everyFieldIsBound() throws Exception {
    ModbusSettings settings = provider.parse(json("""
        {'host': '10.0.0.5', 'port': 5020, 'unitId': 0, 'pollIntervalMillis': 250, 'timeoutMillis': 700,
         'maxGap': 0, 'points': {'temp': {'table': 'inputRegister', 'address': 100, 'dataType': 'int32',
           'wordOrder': 'littleEndian', 'byteOrder': 'littleEndian', 'scale': 0.1, 'offset': -40, 'unit': 'degC'}}}"""));

    assertThat(settings).isEqualTo(new ModbusSettings("10.0.0.5", 5020, 0, Duration.ofMillis(250),
        Duration.ofMillis(700), 0, java.util.Map.of("temp", new ModbusPoint(Table.INPUT_REGISTER, 100, DataType.INT32,
            Endianness.LITTLE, Endianness.LITTLE, 0.1, -40, "degC"))));
    assertThat(settings.endpoint()).isEqualTo("10.0.0.5:5020");
  }

  @ParameterizedTest(name = "order {0} = wordOrder {1}, byteOrder {2}")
  @CsvSource({
      "ABCD, bigEndian,    bigEndian",
      "CDAB, littleEndian, bigEndian",
      "BADC, bigEndian,    littleEndian",
      "DCBA, littleEndian, littleEndian"})
  void theOrderShorthandMeansTheWordAndByteOrderOfTheReadme(String order, String wordOrder, String byteOrder)
      throws Exception {
    ModbusPoint shorthand = provider.parse(json("{'host': 'h', 'points': {'p': {'table': 'holdingRegister', "
        + "'address': 0, 'dataType': 'float32', 'order': '" + order + "'}}}")).points().get("p");
    ModbusPoint explicit = provider.parse(json("{'host': 'h', 'points': {'p': {'table': 'holdingRegister', "
        + "'address': 0, 'dataType': 'float32', 'wordOrder': '" + wordOrder + "', 'byteOrder': '" + byteOrder
        + "'}}}")).points().get("p");

    assertThat(shorthand).isEqualTo(explicit);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no host             | {'points': {'p': {'table': 'coil', 'address': 0}}}                                  | host                    | missing",
      "port 0              | {'host': 'h', 'port': 0, 'points': {'p': {'table': 'coil', 'address': 0}}}          | port                    | expected 1 to 65535, found 0",
      "port 70000          | {'host': 'h', 'port': 70000, 'points': {'p': {'table': 'coil', 'address': 0}}}      | port                    | found 70000",
      "unit 256            | {'host': 'h', 'unitId': 256, 'points': {'p': {'table': 'coil', 'address': 0}}}      | unitId                  | expected 0 to 255, found 256",
      "poll 5 ms           | {'host': 'h', 'pollIntervalMillis': 5, 'points': {'p': {'table': 'coil', 'address': 0}}} | pollIntervalMillis | expected 10 to 86400000 milliseconds, found 5",
      "timeout 50 ms       | {'host': 'h', 'timeoutMillis': 50, 'points': {'p': {'table': 'coil', 'address': 0}}} | timeoutMillis          | expected 100 to 60000 milliseconds, found 50",
      "maxGap 101          | {'host': 'h', 'maxGap': 101, 'points': {'p': {'table': 'coil', 'address': 0}}}      | maxGap                  | expected 0 to 100, found 101",
      "no points           | {'host': 'h'}                                                                       | points                  | missing or empty",
      "empty points        | {'host': 'h', 'points': {}}                                                         | points                  | missing or empty",
      "null point          | {'host': 'h', 'points': {'flow': null}}                                             | points.flow             | found null",
      "unknown field       | {'host': 'h', 'points': {'flow': {'table': 'coil', 'adress': 0}}}                   | points.flow.adress      | adress",
      "no table            | {'host': 'h', 'points': {'flow': {'address': 0}}}                                   | points.flow.table       | missing; expected one of holdingRegister, inputRegister, coil, discreteInput",
      "unknown table       | {'host': 'h', 'points': {'flow': {'table': 'holding', 'address': 0}}}               | points.flow.table       | unknown table 'holding'",
      "no address          | {'host': 'h', 'points': {'flow': {'table': 'coil'}}}                                | points.flow.address     | missing; expected the 0-based protocol address",
      "negative address    | {'host': 'h', 'points': {'flow': {'table': 'coil', 'address': -1}}}                 | points.flow.address     | from 0 to 65535, found -1",
      "address 65536       | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 65536}}}   | points.flow.address     | found 65536",
      "int32 past the end  | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 65535, 'dataType': 'int32'}}} | points.flow.address | from 0 to 65534 for int32",
      "unknown type        | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'dataType': 'int64'}}} | points.flow.dataType | unknown data type 'int64'; expected one of int16, uint16, int32, uint32, float32, bool",
      "register type, coil | {'host': 'h', 'points': {'flow': {'table': 'coil', 'address': 0, 'dataType': 'float32'}}} | points.flow.dataType | dataType float32 is a register type but table coil holds bits",
      "bool on a register  | {'host': 'h', 'points': {'flow': {'table': 'inputRegister', 'address': 0, 'dataType': 'bool'}}} | points.flow.dataType | dataType bool is a bit type but table inputRegister holds 16-bit registers",
      "bad word order      | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'dataType': 'int32', 'wordOrder': 'swapped'}}} | points.flow.wordOrder | unknown order 'swapped'; expected bigEndian or littleEndian",
      "word order on int16 | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'dataType': 'int16', 'wordOrder': 'littleEndian'}}} | points.flow.wordOrder | applies to 32-bit types only, but dataType is int16",
      "bad byte order      | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'byteOrder': 'LE'}}} | points.flow.byteOrder | unknown order 'LE'",
      "order and byteOrder | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'dataType': 'int32', 'order': 'CDAB', 'byteOrder': 'bigEndian'}}} | points.flow.order | not both",
      "4-byte order, int16 | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'dataType': 'int16', 'order': 'CDAB'}}} | points.flow.order | unknown order 'CDAB' for int16; expected one of AB, BA",
      "2-byte order, int32 | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'dataType': 'int32', 'order': 'BA'}}} | points.flow.order | expected one of ABCD, CDAB, BADC, DCBA",
      "order on a coil     | {'host': 'h', 'points': {'flow': {'table': 'coil', 'address': 0, 'order': 'AB'}}} | points.flow.order | does not apply to bool values",
      "scale on a coil     | {'host': 'h', 'points': {'flow': {'table': 'discreteInput', 'address': 0, 'scale': 2}}} | points.flow.scale | does not apply to bool values of table discreteInput",
      "scale 0             | {'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'scale': 0}}} | points.flow.scale | other than 0, found 0.0",
      "port not a number   | {'host': 'h', 'port': 'x', 'points': {'p': {'table': 'coil', 'address': 0}}}       | port                    | expected a whole number, found \"x\"",
      "port as a string    | {'host': 'h', 'port': '502', 'points': {'p': {'table': 'coil', 'address': 0}}}     | port                    | expected a whole number, found \"502\"",
      "fractional port     | {'host': 'h', 'port': 502.7, 'points': {'p': {'table': 'coil', 'address': 0}}}     | port                    | expected a whole number, found 502.7",
      "fractional address  | {'host': 'h', 'points': {'p': {'table': 'coil', 'address': 1.5}}}                  | points.p.address        | expected a whole number, found 1.5",
      "scale as a string   | {'host': 'h', 'points': {'p': {'table': 'holdingRegister', 'address': 1, 'scale': '0.1'}}} | points.p.scale | expected a number, found \"0.1\"",
      "poll as a string    | {'host': 'h', 'pollIntervalMillis': '100', 'points': {'p': {'table': 'coil', 'address': 0}}} | pollIntervalMillis | expected a whole number"})
  void aBadSettingIsRejectedNamingItsPath(String name, String settings, String path, String reason) {
    SourceConfigException error = catchThrowableOfType(SourceConfigException.class,
        () -> provider.parse(json(settings)));

    assertThat(error).as(name).isNotNull();
    assertThat(error.path()).isEqualTo(path);
    assertThat(error.reason()).contains(reason);
    assertThat(error.getMessage()).startsWith(path + ": ");
  }
}
