package io.edgeai4j.optimize.partition;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The DADS min-cut against brute force over every placement that sends nothing downstream, on seeded random DAGs. */
class MinCutTest {
  private static final Link LINK = new Link("device-edge", 10_000_000L, Duration.ofMillis(5));

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void minCutEqualsBruteForceOverAllDownsets(long seed) throws PartitionException {
    SplittableRandom random = new SplittableRandom(seed);
    int n = 6 + random.nextInt(6);
    List<List<String>> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> reads = new ArrayList<>();
      int count = 1 + random.nextInt(2);
      for (int k = 0; k < count; k++) {
        int from = random.nextInt(i + 1) - 1;
        String name = from < 0 ? "x" : "t" + from;
        if (!reads.contains(name)) {
          reads.add(name);
        }
      }
      inputs.add(reads);
    }
    List<String> outputs = new ArrayList<>(List.of("t" + (n - 1)));
    if (random.nextBoolean()) {
      outputs.add("t" + random.nextInt(n - 1));
    }
    OnnxMl.ModelProto model = SyntheticProfiles.graph(inputs, outputs);
    Map<String, Long> sizes = new HashMap<>();
    sizes.put("x", 1000L + random.nextInt(100_000));
    double[] device = new double[n];
    double[] edge = new double[n];
    for (int i = 0; i < n; i++) {
      sizes.put("t" + i, 1L + random.nextInt(100_000));
      device[i] = random.nextInt(50_000);
      edge[i] = random.nextInt(10_000);
    }
    List<Tier> tiers = List.of(new Tier("device", SyntheticProfiles.profile(model, device, sizes, 1.5)),
        new Tier("edge", SyntheticProfiles.profile(model, edge, sizes, 0.5)));
    PartitionGraph graph = PartitionGraph.of(model);
    CostModel cost = new CostModel(graph, tiers, List.of(LINK), ActivationEncoding.FLOAT16);

    MinCut.Result cut = MinCut.solve(graph, cost, LINK);

    double best = Double.POSITIVE_INFINITY;
    for (int mask = 0; mask < 1 << n; mask++) {
      int[] tierOf = new int[n];
      for (int v = 0; v < n; v++) {
        tierOf[v] = (mask >> v & 1) == 1 ? 0 : 1;
      }
      if (downstream(graph, tierOf)) {
        continue;
      }
      best = Math.min(best, additive(graph, cost, tierOf));
    }
    assertThat(cut.value()).isCloseTo(best, Offset.offset(1e-6 * best));
    assertThat(downstream(graph, cut.tierOf())).isFalse();
    assertThat(additive(graph, cost, cut.tierOf())).isCloseTo(best, Offset.offset(1e-6 * best));
  }

  /*
   * A residual block: x → n0 → t0; n1(t0) → t1; n2(t1) → t2; n3(t0, t2) → t3 (the skip joins); n4(t3) → t4 (output).
   * With one link, the min-cut's placement is also the best prefix cut.
   */
  @ParameterizedTest(name = "{0} bit/s, {1} ms, device {2} µs/node")
  @CsvSource({"100000, 100, 100", "10000000, 20, 2000", "1000000000, 1, 50000", "1000000, 50, 5000"})
  void onAResidualBlockTheMinCutIsTheBestPrefixCut(long bits, long millis, double deviceMicros)
      throws PartitionException {
    OnnxMl.ModelProto model = SyntheticProfiles.graph(List.of(List.of("x"), List.of("t0"), List.of("t1"),
        List.of("t0", "t2"), List.of("t3")), List.of("t4"));
    Map<String, Long> sizes = Map.of("x", 50_000L, "t0", 20_000L, "t1", 500L, "t2", 8_000L, "t3", 8_000L, "t4", 10L);
    List<Tier> tiers = List.of(
        new Tier("device", SyntheticProfiles.profile(model, SyntheticProfiles.times(deviceMicros, 5), sizes, 1)),
        new Tier("edge", SyntheticProfiles.profile(model, SyntheticProfiles.times(200, 5), sizes, 1)));

    Plan plan = Planner.plan(model, SyntheticProfiles.SHA, tiers,
        List.of(new Link("device-edge", bits, Duration.ofMillis(millis))), Objective.LATENCY,
        ActivationEncoding.FLOAT32);

    assertThat(plan.shape()).isEqualTo("DAG");
    assertThat(plan.minCutMicros()).isPositive();
    assertThat(plan.candidates()).as("the min-cut is one of the prefix cuts").hasSize(6)
        .filteredOn(Candidate::minCut).hasSize(1);
    assertThat(plan.best().minCut()).isTrue();
  }

  /*
   * Two branches after a: b1 is slow on the device, c1 slow on the edge; every tensor is 10 floats on a fast link. The
   * best placement, device {a, c1} and edge {b1, d}, is no prefix of the order a, b1, c1, d: the min-cut finds it
   * and the plan adds it as a row of its own, and chooses it.
   */
  @Test
  void theMinCutFindsAPlacementNoPrefixGives() throws PartitionException {
    OnnxMl.ModelProto model = SyntheticProfiles.graph(List.of(List.of("x"), List.of("t0"), List.of("t0"),
        List.of("t1", "t2")), List.of("t3"));
    Map<String, Long> sizes = Map.of("x", 10L, "t0", 10L, "t1", 10L, "t2", 10L, "t3", 10L);
    List<Tier> tiers = List.of(
        new Tier("device", SyntheticProfiles.profile(model, new double[] {10, 100_000, 10, 10}, sizes, 0)),
        new Tier("edge", SyntheticProfiles.profile(model, new double[] {10, 10, 100_000, 10}, sizes, 0)));

    Plan plan = Planner.plan(model, SyntheticProfiles.SHA, tiers,
        List.of(new Link("device-edge", 1_000_000_000L, Duration.ofMillis(1))), Objective.LATENCY,
        ActivationEncoding.FLOAT32);

    assertThat(plan.candidates()).hasSize(6);
    Candidate last = plan.candidates().get(5);
    assertThat(last.kind()).isEqualTo("min-cut");
    assertThat(last.minCut()).isTrue();
    assertThat(last.tierOfNode()).containsExactly(0, 1, 0, 1);
    assertThat(last.label()).isEqualTo("t0,t2");
    assertThat(plan.chosen()).isEqualTo(5);
    assertThat(plan.notes()).anyMatch(n -> n.contains("no prefix"));
  }

  private static boolean downstream(PartitionGraph graph, int[] tierOf) {
    for (PartitionGraph.Tensor t : graph.tensors().values()) {
      for (int consumer : t.consumers()) {
        if (!t.graphInput() && tierOf[consumer] < tierOf[t.producer()]) {
          return true;
        }
      }
    }
    return false;
  }

  /** Compute on both tiers plus each crossing tensor's wire and codec time: what the min-cut minimizes. */
  private static double additive(PartitionGraph graph, CostModel cost, int[] tierOf) {
    double total = 0;
    for (int v = 0; v < tierOf.length; v++) {
      total += cost.compute(tierOf[v], v);
    }
    for (PartitionGraph.Tensor t : graph.tensors().values()) {
      if (cost.producerTier(t, tierOf) < cost.consumerTier(t, tierOf)) {
        total += LINK.wireMicros(cost.payloadBytes(t)) + cost.codecMicros(t, 0);
      }
    }
    return total;
  }
}
