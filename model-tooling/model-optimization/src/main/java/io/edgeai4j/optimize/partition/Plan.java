package io.edgeai4j.optimize.partition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's answer: every candidate placement with its predicted cost, the one chosen, and its gain over running
 * the whole model on each single tier. Immutable.
 *
 * @param model the model file's name
 * @param sha256 the model file's SHA-256
 * @param tiers the tier names, device first
 * @param links the links, {@code links.get(k)} between tier k and k+1
 * @param objective what was minimized
 * @param encoding the activations' encoding
 * @param shape {@code chain} or {@code DAG}
 * @param nodes the node names in the planner's topological order ({@link Candidate#tierOfNode} indexes them)
 * @param candidates every candidate, in the order enumerated
 * @param chosen the index of the chosen one in {@code candidates}
 * @param minCutMicros the min-cut's value (compute plus per-tensor transfer, without latency and chunk headers), or
 *     -1 when no min-cut was computed (chains, three tiers)
 * @param gains per single-tier baseline (tier name): the baseline's latency over the chosen one's (objective
 *     latency) or the chosen one's requests per second over the baseline's (throughput)
 * @param notes what the planner assumed or left out, in words
 */
public record Plan(String model, String sha256, List<String> tiers, List<Link> links, Objective objective,
    ActivationEncoding encoding, String shape, List<String> nodes, List<Candidate> candidates, int chosen,
    double minCutMicros, Map<String, Double> gains, List<String> notes) {

  /** Copies the collections. */
  public Plan {
    tiers = List.copyOf(tiers);
    links = List.copyOf(links);
    nodes = List.copyOf(nodes);
    candidates = List.copyOf(candidates);
    gains = Collections.unmodifiableMap(new LinkedHashMap<>(gains));
    notes = List.copyOf(notes);
  }

  /** The chosen candidate. */
  public Candidate best() {
    return candidates.get(chosen);
  }
}
