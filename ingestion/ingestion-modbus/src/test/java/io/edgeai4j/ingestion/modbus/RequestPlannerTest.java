package io.edgeai4j.ingestion.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestPlannerTest {
  /** A planned request as {@code table:address+quantity}, e.g. {@code holdingRegister:0+11}. */
  private static List<String> plan(int maxGap, ModbusPoint... points) {
    Map<String, ModbusPoint> named = new LinkedHashMap<>();
    for (int i = 0; i < points.length; i++) {
      named.put("p" + i, points[i]);
    }
    return RequestPlanner.plan(named, maxGap).stream().map(r -> r.table() + ":" + r.address() + "+" + r.quantity())
        .toList();
  }

  private static ModbusPoint holding(int address, DataType type) {
    return ModbusPoint.of(Table.HOLDING_REGISTER, address, type);
  }

  private static ModbusPoint coil(int address) {
    return ModbusPoint.of(Table.COIL, address, DataType.BOOL);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("one point, one request", 15, new ModbusPoint[] {holding(5, DataType.FLOAT32)},
            List.of("holdingRegister:5+2")),
        Arguments.of("gap of 15 merges", 15,
            new ModbusPoint[] {holding(0, DataType.INT16), holding(16, DataType.INT16)},
            List.of("holdingRegister:0+17")),
        Arguments.of("gap of 16 splits", 15,
            new ModbusPoint[] {holding(0, DataType.INT16), holding(17, DataType.INT16)},
            List.of("holdingRegister:0+1", "holdingRegister:17+1")),
        Arguments.of("the gap counts from a 32-bit point's second register", 15,
            new ModbusPoint[] {holding(0, DataType.UINT32), holding(17, DataType.INT16)},
            List.of("holdingRegister:0+18")),
        Arguments.of("maxGap 0 merges adjacent points only", 0,
            new ModbusPoint[] {holding(0, DataType.INT16), holding(1, DataType.INT32), holding(4, DataType.INT16)},
            List.of("holdingRegister:0+3", "holdingRegister:4+1")),
        Arguments.of("overlapping points share a request", 0,
            new ModbusPoint[] {holding(10, DataType.FLOAT32), holding(11, DataType.UINT16),
                holding(10, DataType.INT16)},
            List.of("holdingRegister:10+2")),
        Arguments.of("125 registers fit in one request", 100,
            new ModbusPoint[] {holding(0, DataType.INT16), holding(100, DataType.INT16), holding(123, DataType.INT32)},
            List.of("holdingRegister:0+125")),
        Arguments.of("a 32-bit point that would make 126 registers starts a new request", 100,
            new ModbusPoint[] {holding(0, DataType.INT16), holding(100, DataType.INT16), holding(124, DataType.INT32)},
            List.of("holdingRegister:0+101", "holdingRegister:124+2")),
        Arguments.of("2000 coils fit in one request, the 2001st does not", 99,
            coilsEvery100(0, 2000), List.of("coil:0+1901", "coil:2000+1")),
        Arguments.of("1999 is the last coil of a request from 0", 99,
            concat(coilsEvery100(0, 1900), new ModbusPoint[] {coil(1999)}), List.of("coil:0+2000")),
        Arguments.of("tables never share a request, in table order", 15,
            new ModbusPoint[] {coil(0), ModbusPoint.of(Table.DISCRETE_INPUT, 0, DataType.BOOL),
                ModbusPoint.of(Table.INPUT_REGISTER, 0, DataType.INT16), holding(0, DataType.INT16)},
            List.of("holdingRegister:0+1", "inputRegister:0+1", "coil:0+1", "discreteInput:0+1")),
        Arguments.of("points are sorted by address whatever their order", 15,
            new ModbusPoint[] {holding(300, DataType.INT16), holding(0, DataType.INT16), holding(301, DataType.INT16)},
            List.of("holdingRegister:0+1", "holdingRegister:300+2")),
        Arguments.of("the top of the address space", 15,
            new ModbusPoint[] {holding(65534, DataType.FLOAT32), holding(65530, DataType.INT16)},
            List.of("holdingRegister:65530+6")));
  }

  private static ModbusPoint[] coilsEvery100(int from, int to) {
    return java.util.stream.IntStream.iterate(from, a -> a <= to, a -> a + 100).mapToObj(RequestPlannerTest::coil)
        .toArray(ModbusPoint[]::new);
  }

  private static ModbusPoint[] concat(ModbusPoint[] first, ModbusPoint[] second) {
    ModbusPoint[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pointsAreGroupedIntoAsFewRequestsAsTheLimitsAllow(String name, int maxGap, ModbusPoint[] points,
      List<String> expected) {
    assertThat(plan(maxGap, points)).isEqualTo(expected);
  }
}
