package io.edgeai4j.optimize.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planner on a four-node chain whose numbers are set by hand: x (100,000 floats, 400,000 B raw) → n0 → t0
 * (100,000) → n1 → t1 (100: the bottleneck layer) → n2 → t2 (100,000) → n3 → t3 (the output, 10 floats).
 */
class PlannerTest {
  private static final OnnxMl.ModelProto CHAIN = SyntheticProfiles.chain(4);
  private static final Map<String, Long> SIZES = Map.of("x", 100_000L, "t0", 100_000L, "t1", 100L, "t2", 100_000L,
      "t3", 10L);

  private static Tier tier(String name, double micros) {
    return new Tier(name, SyntheticProfiles.profile(CHAIN, SyntheticProfiles.times(micros, 4), SIZES, 0));
  }

  private static Link link(String name, long bits, long millis) {
    return new Link(name, bits, Duration.ofMillis(millis));
  }

  /*
   * By hand, 10 Mbit/s (0.8 µs/B), 20 ms, device 1000 µs/node, edge 200 µs/node:
   * all on device 4000 + (40 + 512) B × 0.8 + 20000 = 24441.6; cut at t1: 2000 + 400 + 912 × 0.8 + 20000 = 23129.6;
   * all on edge: 800 + (400000 + 2 × 512) × 0.8 + 20000 = 341619.2. 100 kbit/s (80 µs/B), 100 ms: all on device
   * 4000 + 552 × 80 + 100000 = 148160; cut at t1 2400 + 912 × 80 + 100000 = 175360. 1 Gbit/s, 1 ms, device 100000
   * µs/node: all on edge 800 + 401024 × 0.008 + 1000 = 5008.2.
   */
  @ParameterizedTest(name = "{0}: device {1} µs/node, edge {2} µs/node, {3} bit/s {4} ms -> {5}")
  @CsvSource({
      "slow link,           1000,    200,     100000, 100, all on device, 148160.0",
      "middle,              1000,    200,   10000000,  20, t1,            23129.6",
      "fast link slow dev, 100000,   200, 1000000000,   1, all on edge,   5008.192",
  })
  void latencyPicksTheCutKnownByHand(String name, double device, double edge, long bits, long millis,
      String expected, double total) throws PartitionException {
    Plan plan = Planner.plan(CHAIN, SyntheticProfiles.SHA, List.of(tier("device", device), tier("edge", edge)),
        List.of(link("device-edge", bits, millis)), Objective.LATENCY, ActivationEncoding.FLOAT32);

    assertThat(plan.shape()).isEqualTo("chain");
    assertThat(plan.candidates()).hasSize(5);
    assertThat(plan.best().label()).isEqualTo(expected);
    assertThat(plan.best().totalMicros()).isCloseTo(total, org.assertj.core.data.Offset.offset(0.01));
    assertThat(plan.candidates()).allSatisfy(c -> assertThat(c.totalMicros()).isGreaterThanOrEqualTo(total - 0.01));
  }

  @Test
  void throughputPicksTheBalancedCutWhereLatencyKeepsAllOnTheDevice() throws PartitionException {
    List<Tier> tiers = List.of(tier("device", 1000), tier("edge", 1000));
    List<Link> links = List.of(link("device-edge", 1_000_000_000L, 1));

    Plan latency = Planner.plan(CHAIN, SyntheticProfiles.SHA, tiers, links, Objective.LATENCY,
        ActivationEncoding.FLOAT32);
    Plan throughput = Planner.plan(CHAIN, SyntheticProfiles.SHA, tiers, links, Objective.THROUGHPUT,
        ActivationEncoding.FLOAT32);

    assertThat(latency.best().label()).isEqualTo("all on device");
    assertThat(throughput.best().label()).isEqualTo("t1");
    assertThat(throughput.best().requestsPerSecond()).isCloseTo(500, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(throughput.gains().get("device")).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @ParameterizedTest(name = "{0}: t1 (100 floats) takes {1} B on the link")
  @CsvSource({"float32, 912", "float16, 712", "int8, 617"})
  void encodingsChangeTheBytesOnTheLink(String encoding, long bytes) throws PartitionException {
    Plan plan = Planner.plan(CHAIN, SyntheticProfiles.SHA, List.of(tier("device", 1000), tier("edge", 200)),
        List.of(link("device-edge", 10_000_000L, 20)), Objective.LATENCY, ActivationEncoding.parse(encoding));

    Candidate cut = plan.candidates().stream().filter(c -> c.label().equals("t1")).findFirst().orElseThrow();
    assertThat(cut.linkBytes()).containsExactly(bytes);
    Candidate edgeOnly = plan.candidates().stream().filter(c -> c.label().equals("all on edge")).findFirst()
        .orElseThrow();
    assertThat(edgeOnly.linkBytes()).as("the raw input is sent as it is").containsExactly(400_000L + 2 * 512);
  }

  @Test
  void serializationIsTheMeasuredCodecCostOfBothEnds() throws PartitionException {
    Tier device = new Tier("device", SyntheticProfiles.profile(CHAIN, SyntheticProfiles.times(1000, 4), SIZES, 3));
    Tier edge = new Tier("edge", SyntheticProfiles.profile(CHAIN, SyntheticProfiles.times(200, 4), SIZES, 2));

    Plan plan = Planner.plan(CHAIN, SyntheticProfiles.SHA, List.of(device, edge),
        List.of(link("device-edge", 10_000_000L, 20)), Objective.LATENCY, ActivationEncoding.FLOAT16);

    Candidate cut = plan.candidates().stream().filter(c -> c.label().equals("t2")).findFirst().orElseThrow();
    assertThat(cut.serializationMicros().get(0)).isCloseTo(100_000 * (3 + 2) / 1e3,
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void threeTiersTryEveryPairOfCuts() throws PartitionException {
    List<Tier> tiers = List.of(tier("device", 1000), tier("edge", 500), tier("cloud", 10));
    List<Link> links = List.of(link("device-edge", 1_000_000_000L, 1), link("edge-cloud", 1_000_000_000L, 1));

    Plan plan = Planner.plan(CHAIN, SyntheticProfiles.SHA, tiers, links, Objective.LATENCY,
        ActivationEncoding.FLOAT32);

    assertThat(plan.candidates()).hasSize(5 * 6 / 2);
    assertThat(plan.best().label()).isEqualTo("t1 | t1");
    assertThat(plan.best().computeMicros()).containsExactly(2000.0, 0.0, 20.0);
    assertThat(plan.gains()).containsOnlyKeys("device", "edge", "cloud");
  }

  @Test
  void refusesAProfileOfAnotherModel() {
    assertThatThrownBy(() -> Planner.plan(CHAIN, "cd".repeat(32), List.of(tier("device", 1), tier("edge", 1)),
        List.of(link("device-edge", 1000, 1)), Objective.LATENCY, ActivationEncoding.FLOAT32))
        .isInstanceOf(PartitionException.class)
        .hasMessageContaining("profile of tier device is of another model")
        .hasMessageContaining("cd".repeat(32));
  }

  @Test
  void refusesAMissingLinkAndTooManyTiers() {
    assertThatThrownBy(() -> Planner.plan(CHAIN, SyntheticProfiles.SHA, List.of(tier("device", 1), tier("edge", 1),
        tier("cloud", 1)), List.of(link("device-edge", 1000, 1)), Objective.LATENCY, ActivationEncoding.FLOAT32))
        .isInstanceOf(PartitionException.class).hasMessage("expected 2 link(s) for tiers [device, edge, cloud], found 1");
    assertThatThrownBy(() -> Planner.plan(CHAIN, SyntheticProfiles.SHA, List.of(tier("device", 1)), List.of(),
        Objective.LATENCY, ActivationEncoding.FLOAT32))
        .isInstanceOf(PartitionException.class).hasMessageContaining("expected 2 or 3 tiers");
  }

  @Test
  void refusesAProfileWithoutTheModelsNodes() {
    OnnxMl.ModelProto other = SyntheticProfiles.chain(3);
    Tier short3 = new Tier("edge", SyntheticProfiles.profile(other, SyntheticProfiles.times(1, 3), SIZES, 0));
    assertThatThrownBy(() -> Planner.plan(CHAIN, SyntheticProfiles.SHA, List.of(tier("device", 1), short3),
        List.of(link("device-edge", 1000, 1)), Objective.LATENCY, ActivationEncoding.FLOAT32))
        .isInstanceOf(PartitionException.class).hasMessageContaining("profile of tier edge has no node 'n3' (Sum)");
  }

  @Test
  void refusesAnUnknownEncoding() {
    assertThatThrownBy(() -> ActivationEncoding.parse("int4"))
        .hasMessage("activation encoding 'int4': expected one of float32, float16, int8");
  }
}
