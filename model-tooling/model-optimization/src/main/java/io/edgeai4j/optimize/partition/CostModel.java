package io.edgeai4j.optimize.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Predicts the cost of one placement of the nodes on the tiers.
 *
 * <ul>
 *   <li>compute on tier t: the sum of the median kernel times, in t's profile, of the nodes placed on t (the median,
 *       not the mean: a few runs slowed by other work on the machine do not move it);
 *   <li>a tensor crosses link k (between tiers k and k+1) when it is produced on a tier at or below k (a graph input
 *       on the device, tier 0) and consumed above k; the graph outputs are consumed on the top tier (the result's
 *       trip upstream);
 *   <li>bytes on link k: payload (float32 activations in the chosen encoding, other tensors and the graph inputs,
 *       which the sensor sends raw, at their own element size) plus 512 B of headers per chunk, a chunk (payload plus
 *       headers) being at most 262,143 B;
 *   <li>serialization on link k: per float32 activation element, the sender's measured encode time and the receiver's
 *       measured decode time (graph inputs: none);
 *   <li>transfer on link k: bytes × 8 / bandwidth + latency.
 * </ul>
 *
 * Latency = compute + serialization + transfer, summed; a pipeline's stages are each tier (compute and codec work)
 * and each link (wire time), and the slowest bounds the requests per second. Immutable, thread-safe.
 */
final class CostModel {
  static final long MESSAGE_LIMIT = 262_143;
  static final long CHUNK_HEADER = 512;
  private static final String FLOAT = "FLOAT";

  private final PartitionGraph graph;
  private final List<Tier> tiers;
  private final List<Link> links;
  private final ActivationEncoding encoding;
  private final double[][] compute;
  private final Map<String, ModelProfile.TensorSize> sizes;

  CostModel(PartitionGraph graph, List<Tier> tiers, List<Link> links, ActivationEncoding encoding)
      throws PartitionException {
    this.graph = graph;
    this.tiers = List.copyOf(tiers);
    this.links = List.copyOf(links);
    this.encoding = encoding;
    this.compute = new double[tiers.size()][graph.nodes().size()];
    for (int t = 0; t < tiers.size(); t++) {
      Map<String, ModelProfile.NodeTiming> timings = tiers.get(t).profile().nodesByName();
      for (PartitionGraph.Node node : graph.nodes()) {
        ModelProfile.NodeTiming timing = timings.get(node.name());
        if (timing == null) {
          throw new PartitionException("profile of tier " + tiers.get(t).name() + " has no node '" + node.name()
              + "' (" + node.opType() + "); expected a profile of this model (edge model profile)");
        }
        compute[t][node.index()] = timing.p50Micros();
      }
      ModelProfile profile = tiers.get(t).profile();
      if (!profile.codecs().containsKey(encoding.label())) {
        throw new PartitionException("profile of tier " + tiers.get(t).name() + " has no codec cost for "
            + encoding.label() + "; it has " + profile.codecs().keySet());
      }
    }
    this.sizes = tiers.get(0).profile().tensors();
    for (PartitionGraph.Tensor tensor : graph.tensors().values()) {
      if (!sizes.containsKey(tensor.name())) {
        throw new PartitionException("profile of tier " + tiers.get(0).name() + " has no size for tensor '"
            + tensor.name() + "'; expected every graph input and node output");
      }
    }
  }

  double compute(int tier, int node) {
    return compute[tier][node];
  }

  /** The payload bytes of a tensor on a link. */
  long payloadBytes(PartitionGraph.Tensor tensor) {
    ModelProfile.TensorSize size = sizes.get(tensor.name());
    return activation(tensor) ? encoding.bytes(size.elements()) : size.bytes();
  }

  /** The encode (sender) plus decode (receiver) time of a tensor on link k, in microseconds. */
  double codecMicros(PartitionGraph.Tensor tensor, int link) {
    if (!activation(tensor)) {
      return 0;
    }
    long elements = sizes.get(tensor.name()).elements();
    double encode = tiers.get(link).profile().codecs().get(encoding.label()).encodeNanosPerElement();
    double decode = tiers.get(link + 1).profile().codecs().get(encoding.label()).decodeNanosPerElement();
    return elements * (encode + decode) / 1e3;
  }

  private boolean activation(PartitionGraph.Tensor tensor) {
    return !tensor.graphInput() && FLOAT.equals(sizes.get(tensor.name()).elementType());
  }

  /** The wire bytes of a payload: 512 B per chunk, a chunk holding at most 262,143 B with its headers. */
  static long wireBytes(long payload) {
    long perChunk = MESSAGE_LIMIT - CHUNK_HEADER;
    long chunks = Math.max(1, (payload + perChunk - 1) / perChunk);
    return payload + chunks * CHUNK_HEADER;
  }

  /** The producer's tier of a tensor (a graph input: 0). */
  int producerTier(PartitionGraph.Tensor tensor, int[] tierOf) {
    return tensor.graphInput() ? 0 : tierOf[tensor.producer()];
  }

  /** The highest tier that needs a tensor (a graph output: the top). */
  int consumerTier(PartitionGraph.Tensor tensor, int[] tierOf) {
    int top = tensor.graphOutput() ? tiers.size() - 1 : -1;
    for (int consumer : tensor.consumers()) {
      top = Math.max(top, tierOf[consumer]);
    }
    return top;
  }

  /** Evaluates a placement. */
  Candidate evaluate(String label, String kind, int[] tierOf) {
    int tierCount = tiers.size();
    double[] computeMicros = new double[tierCount];
    for (int i = 0; i < tierOf.length; i++) {
      computeMicros[tierOf[i]] += compute[tierOf[i]][i];
    }
    List<List<String>> cuts = new ArrayList<>();
    long[] payload = new long[links.size()];
    double[] encodeMicros = new double[links.size()];
    double[] work = computeMicros.clone();
    for (int k = 0; k < links.size(); k++) {
      cuts.add(new ArrayList<>());
    }
    for (PartitionGraph.Tensor tensor : graph.tensors().values()) {
      int from = producerTier(tensor, tierOf);
      for (int consumer : tensor.consumers()) {
        if (tierOf[consumer] < from) {
          throw new IllegalArgumentException("placement " + label + " sends tensor '" + tensor.name()
              + "' downstream, from tier " + from + " to " + tierOf[consumer]);
        }
      }
      int to = consumerTier(tensor, tierOf);
      for (int k = from; k < to; k++) {
        cuts.get(k).add(tensor.name());
        payload[k] += payloadBytes(tensor);
        double codec = codecMicros(tensor, k);
        encodeMicros[k] += codec;
        if (codec > 0) {
          long elements = sizes.get(tensor.name()).elements();
          work[k] += elements * tiers.get(k).profile().codecs().get(encoding.label()).encodeNanosPerElement() / 1e3;
          work[k + 1] += elements
              * tiers.get(k + 1).profile().codecs().get(encoding.label()).decodeNanosPerElement() / 1e3;
        }
      }
    }
    List<Long> bytes = new ArrayList<>();
    List<Double> serialization = new ArrayList<>();
    List<Double> transfer = new ArrayList<>();
    double total = 0;
    for (double c : computeMicros) {
      total += c;
    }
    double slowest = -1;
    String bottleneck = "";
    for (int t = 0; t < tierCount; t++) {
      if (work[t] > slowest) {
        slowest = work[t];
        bottleneck = tiers.get(t).name();
      }
    }
    for (int k = 0; k < links.size(); k++) {
      Link link = links.get(k);
      long wire = payload[k] == 0 ? 0 : wireBytes(payload[k]);
      double onWire = link.wireMicros(wire);
      double trip = payload[k] == 0 ? 0 : onWire + link.latencyMicros();
      bytes.add(wire);
      serialization.add(encodeMicros[k]);
      transfer.add(trip);
      total += encodeMicros[k] + trip;
      if (onWire > slowest) {
        slowest = onWire;
        bottleneck = link.name();
      }
    }
    List<Double> perTier = new ArrayList<>();
    for (double c : computeMicros) {
      perTier.add(c);
    }
    List<Integer> placement = new ArrayList<>();
    for (int t : tierOf) {
      placement.add(t);
    }
    double rps = slowest <= 0 ? Double.POSITIVE_INFINITY : 1e6 / slowest;
    return new Candidate(label, kind, false, placement, cuts, bytes, perTier, serialization, transfer, total, rps,
        bottleneck);
  }
}
