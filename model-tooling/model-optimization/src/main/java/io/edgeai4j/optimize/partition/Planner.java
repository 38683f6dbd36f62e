package io.edgeai4j.optimize.partition;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Chooses where to cut a model between two or three tiers (device → edge → cloud) from each tier's measured profile
 * and the links between them ({@link CostModel} gives the formulas). The candidates are the placements after every
 * prefix of a topological order (on a chain: every single-tensor cut, and every pair of cuts for three tiers; on a
 * DAG: the set of tensors the prefix produces, or the graph inputs it does not consume, that are used outside it),
 * the single-tier placements among them; on a DAG with two tiers, also the DADS min-cut ({@link MinCut}), which finds
 * the latency-optimal placement among all that send nothing downstream. Stateless, thread-safe.
 */
public final class Planner {
  private Planner() {}

  /**
   * Plans.
   *
   * @param model the model (node names are given by {@link NodeNames#named}, as the profiles' were)
   * @param sha256 the model file's SHA-256, which every profile must carry
   * @param tiers two or three, device first
   * @param links one fewer than the tiers, {@code links.get(k)} between tier k and k+1
   * @throws PartitionException naming what is wrong: a profile of another model, a link or tier missing, a node or
   *     tensor a profile lacks
   */
  public static Plan plan(OnnxMl.ModelProto model, String sha256, List<Tier> tiers, List<Link> links,
      Objective objective, ActivationEncoding encoding) throws PartitionException {
    if (tiers.size() < 2 || tiers.size() > 3) {
      throw new PartitionException("expected 2 or 3 tiers (device, edge[, cloud]), found " + tiers.size() + ": "
          + tiers.stream().map(Tier::name).toList());
    }
    if (links.size() != tiers.size() - 1) {
      throw new PartitionException("expected " + (tiers.size() - 1) + " link(s) for tiers "
          + tiers.stream().map(Tier::name).toList() + ", found " + links.size());
    }
    for (Tier tier : tiers) {
      if (!tier.profile().sha256().equalsIgnoreCase(sha256)) {
        throw new PartitionException("profile of tier " + tier.name() + " is of another model: "
            + tier.profile().model() + " sha256 " + tier.profile().sha256() + "; the model planned has sha256 "
            + sha256);
      }
    }
    PartitionGraph graph = PartitionGraph.of(NodeNames.named(model));
    CostModel cost = new CostModel(graph, tiers, links, encoding);
    int n = graph.nodes().size();
    boolean chain = graph.isChain();
    List<Candidate> candidates = new ArrayList<>();
    if (tiers.size() == 2) {
      for (int p = n; p >= 0; p--) {
        candidates.add(candidate(graph, cost, tiers, graph.prefixTiers(p)));
      }
    } else {
      for (int p1 = n; p1 >= 0; p1--) {
        for (int p2 = n; p2 >= p1; p2--) {
          candidates.add(candidate(graph, cost, tiers, graph.prefixTiers(p1, p2)));
        }
      }
    }
    List<String> notes = new ArrayList<>();
    double minCutValue = -1;
    if (tiers.size() == 2 && !chain) {
      MinCut.Result cut = MinCut.solve(graph, cost, links.get(0));
      minCutValue = cut.value();
      int same = -1;
      for (int i = 0; i < candidates.size(); i++) {
        if (Arrays.equals(candidates.get(i).tierOfNode().stream().mapToInt(Integer::intValue).toArray(),
            cut.tierOf())) {
          same = i;
        }
      }
      if (same >= 0) {
        candidates.set(same, candidates.get(same).asMinCut());
      } else {
        candidates.add(candidate(graph, cost, tiers, cut.tierOf(), "min-cut").asMinCut());
        notes.add("the min-cut's placement is no prefix of the topological order; it is the last row");
      }
    } else if (!chain) {
      notes.add("three tiers on a DAG: the candidates are the pairs of prefix cuts (the min-cut is two-tier)");
    }
    int chosen = 0;
    for (int i = 1; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      Candidate best = candidates.get(chosen);
      if (c.cost(objective) < best.cost(objective) - 1e-9
          || (Math.abs(c.cost(objective) - best.cost(objective)) <= 1e-9 && c.totalMicros() < best.totalMicros())) {
        chosen = i;
      }
    }
    Map<String, Double> gains = new LinkedHashMap<>();
    Candidate best = candidates.get(chosen);
    for (int t = 0; t < tiers.size(); t++) {
      int[] all = new int[n];
      Arrays.fill(all, t);
      Candidate single = cost.evaluate("all on " + tiers.get(t).name(), "single tier", all);
      gains.put(tiers.get(t).name(), objective == Objective.LATENCY ? single.totalMicros() / best.totalMicros()
          : best.requestsPerSecond() / single.requestsPerSecond());
    }
    notes.add("compute: the median kernel time of each node in its tier's profile (ONNX Runtime, graph optimization "
        + tiers.get(0).profile().graphOptimization() + ")");
    notes.add("graph inputs leave the device raw; the graph outputs travel to the top tier ("
        + tiers.get(tiers.size() - 1).name() + ") as activations");
    return new Plan(tiers.get(0).profile().model(), sha256, tiers.stream().map(Tier::name).toList(), links, objective,
        encoding, chain ? "chain" : "DAG", graph.nodes().stream().map(PartitionGraph.Node::name).toList(),
        candidates, chosen, minCutValue, gains, notes);
  }

  private static Candidate candidate(PartitionGraph graph, CostModel cost, List<Tier> tiers, int[] tierOf) {
    return candidate(graph, cost, tiers, tierOf, "prefix");
  }

  private static Candidate candidate(PartitionGraph graph, CostModel cost, List<Tier> tiers, int[] tierOf,
      String kind) {
    int first = tierOf.length == 0 ? tiers.size() - 1 : tierOf[0];
    boolean single = Arrays.stream(tierOf).allMatch(t -> t == first);
    if (single) {
      return cost.evaluate("all on " + tiers.get(first).name(), "single tier", tierOf);
    }
    Candidate draft = cost.evaluate("", kind, tierOf);
    String label = draft.cuts().stream().map(Planner::abbreviate).collect(Collectors.joining(" | "));
    return cost.evaluate(label, kind, tierOf);
  }

  /** At most two tensor names, then {@code +N}. */
  static String abbreviate(List<String> tensors) {
    if (tensors.size() <= 2) {
      return String.join(",", tensors);
    }
    return tensors.get(0) + "," + tensors.get(1) + " +" + (tensors.size() - 2);
  }
}
