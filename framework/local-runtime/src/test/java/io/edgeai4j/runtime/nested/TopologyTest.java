package io.edgeai4j.runtime.nested;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.runtime.link.LinkSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which hierarchies are accepted (their top and start order) and which are refused, naming what was found. */
class TopologyTest {
  private static final LinkSpec SPEC = LinkSpec.parse("10Mbit/20ms");

  private static List<String> words(String text) {
    return text == null ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }

  /** Links as {@code child>parent} words (the test's own notation, so that names may hold '-'). */
  private static List<DeviceLink> links(String text) {
    return words(text).stream().map(w -> w.split(">")).map(p -> new DeviceLink(p[0], p[1], SPEC)).toList();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # devices           | links (child>parent)        | top  | start order
      solo                | -                           | solo | solo
      sensor node         | sensor>node                 | node | node sensor
      node sensor         | sensor>node                 | node | node sensor
      a b c               | a>c b>c                     | c    | c a b
      plc gw edge-node    | plc>gw gw>edge-node         | edge-node | edge-node gw plc
      l1 l2 l3 l4 l5      | l1>l2 l2>l3 l3>l4 l4>l5     | l5   | l5 l4 l3 l2 l1
      """)
  void accepts(String devices, String links, String top, String order) {
    Topology t = Topology.of(words(devices), links(links));
    assertThat(t.top()).isEqualTo(top);
    assertThat(t.startOrder()).isEqualTo(words(order));
    assertThat(t.uplink(top)).isEmpty();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # devices              | links (child>parent)      | error
      sensor node            | sensor>gw                 | link sensor-gw: unknown device 'gw'; devices given: [sensor, node]
      sensor node            | sensor>sensor             | link sensor-sensor: device 'sensor' cannot be its own parent
      sensor node gw         | sensor>node sensor>gw     | device 'sensor' has two parents, 'node' (link sensor-node) and 'gw' (link sensor-gw); each child has exactly one parent
      a b c                  | a>b b>c c>a               | the links form a cycle: a -> b -> c -> a
      a b c                  | a>b b>a c>a               | the links form a cycle: a -> b -> a
      sensor node other      | sensor>node               | the devices form 2 separate hierarchies, with tops [node, other]
      sensor node            | -                         | the devices form 2 separate hierarchies, with tops [sensor, node]
      sensor sensor          | -                         | device 'sensor' is given twice
      l1 l2 l3 l4 l5 l6      | l1>l2 l2>l3 l3>l4 l4>l5 l5>l6 | device 'l1' is 6 layers deep (l1 -> l2 -> l3 -> l4 -> l5 -> l6); IoT Edge supports at most 5 layers
      a=b                    | -                         | device name 'a=b' is not a device id
      """)
  void refuses(String devices, String links, String error) {
    assertThatThrownBy(() -> Topology.of(words(devices), links(links)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(error);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # argument                    | devices              | child     | parent    | spec
      sensor-node=10Mbit/20ms       | sensor node          | sensor    | node      | 10Mbit/20ms
      plc-1-edge-node=1Mbit/50ms/2% | plc-1 edge-node      | plc-1     | edge-node | 1Mbit/50ms/2%
      a-b-c=1Gbit/1ms               | a-b c                | a-b       | c         | 1Gbit/1ms
      """)
  void parsesLinks(String argument, String devices, String child, String parent, String spec) {
    DeviceLink link = DeviceLink.parse(argument, words(devices));
    assertThat(link.child()).isEqualTo(child);
    assertThat(link.parent()).isEqualTo(parent);
    assertThat(link.spec()).isEqualTo(LinkSpec.parse(spec));
    assertThat(link.name()).isEqualTo(child + "-" + parent);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # argument                | devices          | error
      sensor-node               | sensor node      | link 'sensor-node': no '='; expected CHILD-PARENT=BANDWIDTH/LATENCY[/LOSS%]
      sensornode=10Mbit/20ms    | sensor node      | link 'sensornode=10Mbit/20ms': no '-' between the child and the parent
      sensor-gw=10Mbit/20ms     | sensor node      | 'sensor-gw' does not name two of the devices [node, sensor] as CHILD-PARENT
      a-b-c=10Mbit/20ms         | a a-b b-c c      | 'a-b-c' reads several ways: [child 'a', parent 'b-c', child 'a-b', parent 'c']
      sensor-node=10Mbyte/20ms  | sensor node      | link 'sensor-node=10Mbyte/20ms': link '10Mbyte/20ms': unknown bandwidth unit 'Mbyte'
      sensor-node=10Mbit        | sensor node      | link 'sensor-node=10Mbit': link '10Mbit': expected BANDWIDTH/LATENCY[/LOSS%]
      """)
  void refusesLinks(String argument, String devices, String error) {
    assertThatThrownBy(() -> DeviceLink.parse(argument, words(devices)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(error);
  }
}
