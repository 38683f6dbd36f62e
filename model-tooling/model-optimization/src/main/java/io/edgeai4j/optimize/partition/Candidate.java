package io.edgeai4j.optimize.partition;

import java.util.List;

/**
 * One way to place the model's nodes on the tiers, with its predicted cost. Lists are indexed by tier (compute) or by
 * link (the others, link k between tier k and k+1). Times in microseconds. Immutable.
 *
 * @param label how the table names it: {@code all on edge}, or the tensors cut on each link
 * @param kind {@code single tier}, {@code prefix} (the nodes before a position of the topological order on the lower
 *     tier) or {@code min-cut} (the DADS min-cut, where it is no prefix)
 * @param minCut whether this is the placement the min-cut found
 * @param tierOfNode each node's tier index, in the planner's topological order
 * @param cuts the tensors crossing each link
 * @param linkBytes the bytes on each link: payload in the encoding plus 512 B per chunk
 * @param computeMicros the sum of each tier's node latencies
 * @param serializationMicros per link: encoding on the sender plus decoding on the receiver
 * @param transferMicros per link: wire time plus one-way latency
 * @param totalMicros the end-to-end latency of one request
 * @param requestsPerSecond 1 s over the slowest stage
 * @param bottleneck the slowest stage: a tier's or a link's name
 */
public record Candidate(String label, String kind, boolean minCut, List<Integer> tierOfNode, List<List<String>> cuts,
    List<Long> linkBytes, List<Double> computeMicros, List<Double> serializationMicros, List<Double> transferMicros,
    double totalMicros, double requestsPerSecond, String bottleneck) {

  /** Copies the lists. */
  public Candidate {
    tierOfNode = List.copyOf(tierOfNode);
    cuts = cuts.stream().map(List::copyOf).toList();
    linkBytes = List.copyOf(linkBytes);
    computeMicros = List.copyOf(computeMicros);
    serializationMicros = List.copyOf(serializationMicros);
    transferMicros = List.copyOf(transferMicros);
  }

  /** The same candidate marked as the min-cut's. */
  Candidate asMinCut() {
    return new Candidate(label, kind, true, tierOfNode, cuts, linkBytes, computeMicros, serializationMicros,
        transferMicros, totalMicros, requestsPerSecond, bottleneck);
  }

  /** The value the objective minimizes: the latency, or the slowest stage (1 s / requests per second). */
  double cost(Objective objective) {
    return objective == Objective.LATENCY ? totalMicros : 1e6 / requestsPerSecond;
  }
}
