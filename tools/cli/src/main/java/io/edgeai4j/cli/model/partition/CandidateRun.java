package io.edgeai4j.cli.model.partition;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.optimize.partition.Candidate;
import io.edgeai4j.optimize.partition.Link;
import io.edgeai4j.optimize.partition.Plan;
import io.edgeai4j.optimize.split.SplitException;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.RuntimeStartException;
import io.edgeai4j.runtime.link.LinkSpec;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.edgeai4j.runtime.manifest.ManifestException;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.edgeai4j.runtime.nested.DeviceHierarchy;
import io.edgeai4j.runtime.nested.DeviceLink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures one candidate of a plan through the device hierarchy, as {@code edge run --device ... --link ...} runs it:
 * writes the candidate's deployment as {@code --manifest} does ({@link PartitionDeployment}) into {@code dir}, adds the
 * measuring module {@value #MODULE} (an external module, driven here through its hub transport) to the lowest tier
 * (its output {@code requests} routed to that tier's inference module input {@code infer}, or to {@code $upstream}
 * when the tier runs no part, where the first tier running a part takes it into {@code infer}) and to the top tier
 * (a copy of each of its {@code $upstream} routes into {@value #MODULE}'s input {@code results}), starts the
 * hierarchy with the plan's links (no loss), waits for every part to be {@code ready}, then sends the requests one at
 * a time (or back to back) and times each from its send on the lowest tier to its answer at the top tier. Every answer
 * is checked against the unsplit model's. Not thread-safe; one use.
 */
final class CandidateRun implements AutoCloseable {
  /** The measuring module's name on the lowest and the top tier. */
  static final String MODULE = "measure";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMAGE = "edgeai4j/measure-probe:0.1.0";

  /** One answer received at the top tier: when, and its body. */
  private record Answer(long nanos, JsonNode body) {}

  private final Plan plan;
  private final Candidate candidate;
  private final Map<String, Integer> threads;
  private final Path dir;
  private final Map<String, CompletableFuture<Answer>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger unexpected = new AtomicInteger();
  private final boolean exact;
  private volatile double worst;
  private DeviceHierarchy hierarchy;
  private ModuleTransport requests;
  private ModuleTransport results;

  CandidateRun(Plan plan, Candidate candidate, Map<String, Integer> threads, Path dir) {
    this.plan = plan;
    this.candidate = candidate;
    this.threads = threads;
    this.dir = dir;
    this.exact = plan.encoding().label().equals("float32");
  }

  /**
   * Deploys the candidate and starts its hierarchy; returns once every part is {@code ready} and the measuring
   * module is connected on the lowest and the top tier.
   *
   * @throws MeasurementException when the deployment cannot be written or start, or a part does not load
   */
  void start(OnnxMl.ModelProto model, String modelName, JsonNode original, Duration readyTimeout)
      throws MeasurementException {
    Map<String, DeploymentManifest> devices = deployment(model, modelName, original);
    List<DeviceLink> links = new ArrayList<>();
    for (int k = 0; k < plan.links().size(); k++) {
      Link l = plan.links().get(k);
      links.add(new DeviceLink(plan.tiers().get(k), plan.tiers().get(k + 1),
          new LinkSpec(l.bitsPerSecond(), l.latency(), 0)));
    }
    RuntimeOptions runtimeOptions = RuntimeOptions.builder()
        .upstreamFile(dir.resolve("upstream.jsonl"))
        .console(null)
        .adminPort(0)
        .adminTokenFile(dir.resolve("admin.token"))
        .metricsAddress(null)
        .registry(new PrometheusRegistry())
        .drainTimeout(Duration.ofSeconds(2))
        .build();
    try {
      hierarchy = DeviceHierarchy.start(devices, links, runtimeOptions);
      awaitReady(modelName, readyTimeout);
      results = hierarchy.runtime(plan.tiers().get(plan.tiers().size() - 1)).hub().transportFor(MODULE);
      results.open(new Collector());
      requests = hierarchy.runtime(plan.tiers().get(0)).hub().transportFor(MODULE);
      requests.open(new Collector());
    } catch (RuntimeStartException e) {
      throw new MeasurementException(candidate.label() + ": the hierarchy did not start: " + e.getMessage(), e);
    } catch (TransportException e) {
      throw new MeasurementException(candidate.label() + ": the measuring module's transport: " + e.getMessage(),
          e);
    }
  }

  /** Stops the hierarchy (children first); idempotent. */
  @Override
  public void close() {
    if (requests != null) {
      requests.close();
    }
    if (results != null) {
      results.close();
    }
    if (hierarchy != null) {
      hierarchy.close();
    }
  }

  private Map<String, DeploymentManifest> deployment(OnnxMl.ModelProto model, String modelName, JsonNode original)
      throws MeasurementException {
    Path deployment = dir.resolve("deployment");
    try {
      PartitionDeployment.write(deployment, plan, candidate, threads, model, modelName, original);
      Map<String, DeploymentManifest> devices = new LinkedHashMap<>();
      int first = candidate.tierOfNode().stream().mapToInt(Integer::intValue).min().orElseThrow();
      int last = plan.tiers().size() - 1;
      for (int t = 0; t <= last; t++) {
        String tier = plan.tiers().get(t);
        Path file = deployment.resolve(tier + ".json");
        ObjectNode manifest = Files.isRegularFile(file) ? (ObjectNode) JSON.readTree(file.toFile())
            : PartitionDeployment.manifest(deployment.resolve(tier).toString(), null, null, false, false, null);
        ObjectNode routes = (ObjectNode) manifest.at("/modulesContent/$edgeHub/properties.desired/routes");
        if (t == 0) {
          addModule(manifest);
          routes.putObject("measureRequests").put("route", "FROM /messages/modules/" + MODULE
              + "/outputs/requests INTO " + (first == 0 ? "BrokeredEndpoint(\"/modules/inference/inputs/infer\")"
              : "$upstream")).put("priority", 0);
        }
        if (t == first && t > 0) {
          routes.putObject("measureRequestsFrom" + plan.tiers().get(t - 1)).put("route",
              "FROM /messages/* WHERE $connectionDeviceId = '" + plan.tiers().get(t - 1)
                  + "' INTO BrokeredEndpoint(\"/modules/inference/inputs/infer\")").put("priority", 0);
        }
        if (t == last) {
          addModule(manifest);
          List<String> names = new ArrayList<>();
          routes.fieldNames().forEachRemaining(names::add);
          for (String name : names) {
            JsonNode route = routes.get(name);
            String text = route.isTextual() ? route.asText() : route.path("route").asText();
            if (text.endsWith(" INTO $upstream") && !name.equals("measureRequests")) {
              routes.putObject(MODULE + "_" + name).put("route", text.substring(0, text.length() - "$upstream".length())
                  + "BrokeredEndpoint(\"/modules/" + MODULE + "/inputs/results\")").put("priority", 0);
            }
          }
        }
        Files.writeString(dir.resolve(tier + "-measured.json"), JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(manifest));
        devices.put(tier, ManifestParser.parse(manifest));
      }
      return devices;
    } catch (SplitException e) {
      throw new MeasurementException(candidate.label() + ": the split refuses the cut: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MeasurementException(candidate.label() + ": cannot write the deployment: " + e.getMessage(), e);
    } catch (ManifestException e) {
      throw new MeasurementException(candidate.label() + ": a written manifest is refused: " + e.getMessage(), e);
    }
  }

  private static void addModule(ObjectNode manifest) {
    ObjectNode modules = (ObjectNode) manifest.at("/modulesContent/$edgeAgent/properties.desired/modules");
    modules.putObject(MODULE).put("version", "1.0").put("type", "docker").put("status", "running")
        .put("restartPolicy", "always").putObject("settings").put("image", IMAGE).put("createOptions", "{}");
  }

  /** Waits until each tier that runs a part reports it {@code ready}; a {@code failed} part fails at once. */
  private void awaitReady(String modelName, Duration timeout) throws MeasurementException {
    Map<String, String> parts = new LinkedHashMap<>();
    List<Integer> used = candidate.tierOfNode().stream().distinct().sorted().toList();
    for (int i = 0; i < used.size(); i++) {
      parts.put(plan.tiers().get(used.get(i)), used.size() == 1 ? modelName
          : PartitionDeployment.partName(modelName, i));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, String> e : parts.entrySet()) {
      LocalEdgeRuntime runtime = hierarchy.runtime(e.getKey());
      while (true) {
        JsonNode version = runtime.hub().twin("inference").reported()
            .at("/inference/models/" + e.getValue() + "/versions/1");
        String state = version.path("state").asText("");
        if (state.equals("ready")) {
          break;
        }
        if (state.equals("failed")) {
          throw new MeasurementException(candidate.label() + ": " + e.getKey() + "'s inference module failed to load "
              + e.getValue() + ": " + version.path("detail").asText());
        }
        if (System.nanoTime() > deadline) {
          throw new MeasurementException(candidate.label() + ": " + e.getKey() + "'s inference module did not report "
              + e.getValue() + " ready within " + timeout.toMillis() + " ms (state '" + state + "')");
        }
        pause(20);
      }
    }
  }

  /**
   * Sends request {@code k} and waits for its answer at the top tier.
   *
   * @return the end-to-end latency in nanoseconds
   * @throws MeasurementException when the answer is missing, an error or not the unsplit model's
   */
  long once(MeasurementInputs inputs, int k, Duration timeout) throws MeasurementException {
    long sentAt = System.nanoTime();
    Answer answer = await(k, send(inputs, k), timeout);
    check(k, answer, inputs);
    return answer.nanos() - sentAt;
  }

  /**
   * Sends requests {@code from} to {@code from + count - 1} back to back, then waits for every answer.
   *
   * @return each one's latency in nanoseconds, and the requests per second from the first send to the last answer
   * @throws MeasurementException when an answer is missing, an error or not the unsplit model's
   */
  Burst burst(MeasurementInputs inputs, int from, int count, Duration timeout) throws MeasurementException {
    long[] sent = new long[count];
    List<CompletableFuture<Answer>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      sent[i] = System.nanoTime();
      futures.add(send(inputs, from + i));
    }
    long[] latencies = new long[count];
    long end = start;
    for (int i = 0; i < count; i++) {
      Answer answer = await(from + i, futures.get(i), timeout);
      check(from + i, answer, inputs);
      latencies[i] = answer.nanos() - sent[i];
      end = Math.max(end, answer.nanos());
    }
    return new Burst(latencies, count / ((end - start) / 1e9));
  }

  /** Latencies of a burst (ns) and its requests per second. */
  record Burst(long[] latencyNanos, double requestsPerSecond) {}

  /** The largest absolute difference from the unsplit model's outputs so far (0 with float32 activations). */
  double maxAbsDifference() {
    return worst;
  }

  /** Whether answers are compared bit for bit (float32 activations). */
  boolean exact() {
    return exact;
  }

  /**
   * Fails when answers arrived that matched no request (an answer twice, or a stray message).
   *
   * @throws MeasurementException saying how many
   */
  void checkNoStrayAnswers() throws MeasurementException {
    if (unexpected.get() > 0) {
      throw new MeasurementException(candidate.label() + ": " + unexpected.get() + " answer(s) at the top tier"
          + " matched no request (an answer twice, or a stray message)");
    }
  }

  private CompletableFuture<Answer> send(MeasurementInputs inputs, int k) throws MeasurementException {
    String id = "measure-" + k;
    CompletableFuture<Answer> future = new CompletableFuture<>();
    pending.put(id, future);
    EdgeMessage message = EdgeMessage.builder().body(inputs.requestBody(k, id)).contentType("application/json")
        .contentEncoding("utf-8").correlationId(id).build();
    try {
      requests.send("requests", message);
    } catch (TransportException e) {
      throw new MeasurementException(candidate.label() + ": request " + k + " was refused by the lowest tier's hub: "
          + e.getMessage(), e);
    }
    return future;
  }

  private Answer await(int k, CompletableFuture<Answer> future, Duration timeout) throws MeasurementException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new MeasurementException(candidate.label() + ": request " + k + " got no answer at the top tier within "
          + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new MeasurementException(candidate.label() + ": request " + k + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeasurementException(candidate.label() + ": interrupted waiting for request " + k, e);
    }
  }

  /**
   * Checks an answer against the unsplit model's outputs: bit for bit with float32 activations, else the largest
   * absolute difference of the float32 values is returned.
   */
  private void check(int k, Answer answer, MeasurementInputs inputs) throws MeasurementException {
    JsonNode body = answer.body();
    String where = candidate.label() + ": request " + k + ": ";
    if (!"ok".equals(body.path("status").asText())) {
      throw new MeasurementException(where + "answered " + body.path("status").asText("no status") + ": "
          + body.path("error"));
    }
    for (Map.Entry<String, byte[]> e : inputs.row(k).expected().entrySet()) {
      JsonNode tensor = body.path("outputs").path(e.getKey());
      if (!tensor.hasNonNull("base64")) {
        throw new MeasurementException(where + "the answer lacks output '" + e.getKey() + "' in base64; it has "
            + iterable(body.path("outputs").fieldNames()));
      }
      byte[] got = Base64.getDecoder().decode(tensor.get("base64").asText());
      byte[] want = e.getValue();
      if (got.length != want.length) {
        throw new MeasurementException(where + "output '" + e.getKey() + "' has " + got.length + " bytes, the"
            + " unsplit model's " + want.length);
      }
      if (exact) {
        if (!Arrays.equals(got, want)) {
          throw new MeasurementException(where + "output '" + e.getKey() + "' differs from the unsplit model's"
              + " (float32 activations must give it exactly): largest difference " + maxDifference(got, want));
        }
      } else {
        worst = Math.max(worst, maxDifference(got, want));
      }
    }
  }

  private static double maxDifference(byte[] got, byte[] want) {
    ByteBuffer a = ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer b = ByteBuffer.wrap(want).order(ByteOrder.LITTLE_ENDIAN);
    double worst = 0;
    while (a.remaining() >= Float.BYTES) {
      worst = Math.max(worst, Math.abs(a.getFloat() - b.getFloat()));
    }
    return worst;
  }

  private static List<String> iterable(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  private static void pause(long millis) throws MeasurementException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeasurementException("interrupted", e);
    }
  }

  /** The measuring module's end at the top tier: times each answer and completes its request's future. */
  private final class Collector implements TransportListener {
    @Override
    public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
      long now = System.nanoTime();
      JsonNode body;
      try {
        body = message.bodyAsJson();
      } catch (RuntimeException e) {
        unexpected.incrementAndGet();
        return MessageDisposition.COMPLETE;
      }
      String id = message.correlationId().orElse(body.path("correlationId").asText(""));
      CompletableFuture<Answer> future = pending.remove(id);
      if (future == null) {
        unexpected.incrementAndGet();
      } else {
        future.complete(new Answer(now, body));
      }
      return MessageDisposition.COMPLETE;
    }

    @Override
    public void onDesiredPropertiesPatch(ObjectNode patch) {}

    @Override
    public MethodResponse onMethodInvoked(MethodRequest request) {
      return MethodResponse.error(501, "the measuring module has no methods");
    }

    @Override
    public void onConnectionStatusChanged(ConnectionStatusChange change) {}
  }
}
