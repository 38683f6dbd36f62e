package io.edgeai4j.optimize.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.flow.PushRelabelMFImpl;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;

/**
 * The two-tier latency-optimal placement of a DAG by a minimum s-t cut (DADS, Hu et al., INFOCOM 2019), solved by
 * JGraphT's push-relabel max flow. The source side is the lower tier (device), the sink side the upper (edge):
 *
 * <ul>
 *   <li>s → v costs v's compute time on the upper tier (cut when v runs there), v → t its time on the lower tier;
 *   <li>each tensor x is a vertex: producer (s for a graph input) → x costs x's transfer (bytes × 8 / bandwidth plus
 *       encode and decode), x → every consumer is infinite, so that x is cut once however many consumers are upstream;
 *       x → t is infinite for a graph output (the result goes upstream);
 *   <li>consumer → producer is infinite: no tensor flows downstream.
 * </ul>
 *
 * The cut's value is the additive part of the cost model: compute plus per-tensor transfer and codec time; the link's
 * latency (paid once whatever crosses) and the 512 B per chunk are added when the placement is evaluated. Stateless.
 */
final class MinCut {
  /** The placement (tier 0 or 1 per node) and the cut's value in microseconds. */
  record Result(int[] tierOf, double value) {}

  private MinCut() {}

  static Result solve(PartitionGraph graph, CostModel cost, Link link) {
    int n = graph.nodes().size();
    List<PartitionGraph.Tensor> tensors = new ArrayList<>(graph.tensors().values());
    int source = n;
    int sink = n + 1;
    double finite = 0;
    double[] transfer = new double[tensors.size()];
    for (int i = 0; i < n; i++) {
      finite += cost.compute(0, i) + cost.compute(1, i);
    }
    for (int x = 0; x < tensors.size(); x++) {
      transfer[x] = link.wireMicros(cost.payloadBytes(tensors.get(x))) + cost.codecMicros(tensors.get(x), 0);
      finite += transfer[x];
    }
    double infinite = 4 * (finite + 1);
    Graph<Integer, DefaultWeightedEdge> g = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
    for (int v = 0; v < n + 2 + tensors.size(); v++) {
      g.addVertex(v);
    }
    for (int v = 0; v < n; v++) {
      edge(g, source, v, cost.compute(1, v));
      edge(g, v, sink, cost.compute(0, v));
    }
    for (int x = 0; x < tensors.size(); x++) {
      PartitionGraph.Tensor tensor = tensors.get(x);
      int vertex = n + 2 + x;
      int producer = tensor.graphInput() ? source : tensor.producer();
      edge(g, producer, vertex, transfer[x]);
      for (int consumer : tensor.consumers()) {
        edge(g, vertex, consumer, infinite);
        if (!tensor.graphInput()) {
          edge(g, consumer, tensor.producer(), infinite);
        }
      }
      if (tensor.graphOutput()) {
        edge(g, vertex, sink, infinite);
      }
    }
    PushRelabelMFImpl<Integer, DefaultWeightedEdge> flow = new PushRelabelMFImpl<>(g);
    double value = flow.calculateMinCut(source, sink);
    Set<Integer> lower = flow.getSourcePartition();
    int[] tierOf = new int[n];
    for (int v = 0; v < n; v++) {
      tierOf[v] = lower.contains(v) ? 0 : 1;
    }
    return new Result(tierOf, value);
  }

  private static void edge(Graph<Integer, DefaultWeightedEdge> g, int from, int to, double capacity) {
    DefaultWeightedEdge e = g.getEdge(from, to);
    if (e == null) {
      e = g.addEdge(from, to);
      g.setEdgeWeight(e, capacity);
    } else {
      g.setEdgeWeight(e, g.getEdgeWeight(e) + capacity);
    }
  }
}
