package io.edgeai4j.inference.serving;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code model.json}, with defaults filled in. Immutable; thread-safe. Read with {@link #read(Path)}, whose
 * errors name the file and the JSON path of the setting (e.g. {@code inputs[0].shape}).
 */
public final class ModelDescriptor {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Warm-up runs when {@code model.json} names none. */
  public static final int DEFAULT_WARMUP_RUNS = 3;
  /** The keys of {@code model.json}; {@code tensorrt} is the TensorRT backend's block, which it reads itself. */
  private static final Set<String> TOP_LEVEL = Set.of("name", "description", "inputs", "outputs", "labels",
      "featureInput", "windowInput", "partition", "batching", "warmup", "tensorrt");

  private final String name;
  private final String description;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Labels labels;
  private final FeatureInput featureInput;
  private final WindowInput windowInput;
  private final Partition partition;
  private final Batching batching;
  private final int warmupRuns;

  /** Builds a descriptor (tests and tools; {@link #read} is the usual way). */
  public ModelDescriptor(String name, String description, List<TensorSpec> inputs, List<TensorSpec> outputs,
      Optional<Labels> labels, Optional<FeatureInput> featureInput, Batching batching, int warmupRuns) {
    this(name, description, inputs, outputs, labels, featureInput, Optional.empty(), Optional.empty(), batching,
        warmupRuns);
  }

  /** Builds a descriptor with a {@code windowInput} and a {@code partition} block (a part of a split model). */
  public ModelDescriptor(String name, String description, List<TensorSpec> inputs, List<TensorSpec> outputs,
      Optional<Labels> labels, Optional<FeatureInput> featureInput, Optional<WindowInput> windowInput,
      Optional<Partition> partition, Batching batching, int warmupRuns) {
    this.windowInput = windowInput.orElse(null);
    this.partition = partition.orElse(null);
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.labels = labels.orElse(null);
    this.featureInput = featureInput.orElse(null);
    this.batching = Objects.requireNonNull(batching, "batching");
    if (warmupRuns < 0 || warmupRuns > 1000) {
      throw new IllegalArgumentException("warmup.runs must be 0 to 1000, found " + warmupRuns);
    }
    this.warmupRuns = warmupRuns;
    if (this.inputs.isEmpty() || this.outputs.isEmpty()) {
      throw new IllegalArgumentException("inputs and outputs must each list at least one tensor");
    }
  }

  /**
   * The class names of an output's argmax.
   *
   * @param output The output whose argmax names a class.
   * @param classes The class names, by index.
   */
  public record Labels(String output, List<String> classes) {
    /** Validates and copies. */
    public Labels {
      Objects.requireNonNull(output, "output");
      classes = List.copyOf(classes);
    }

    /** The class at {@code index}, or {@code "class<index>"} when the list is shorter. */
    public String className(int index) {
      return index >= 0 && index < classes.size() ? classes.get(index) : "class" + index;
    }
  }

  /**
   * How a {@code features} message of the sensor-ingestion module becomes one row of an input: the fields in order
   * ({@code bands.band0} is a path into a nested object), each {@code (value - mean[i]) / scale[i]}.
   *
   * @param input The input the row feeds.
   * @param fields The field paths.
   * @param mean One mean per field.
   * @param scale One scale per field, none zero.
   */
  public record FeatureInput(String input, List<String> fields, List<Double> mean, List<Double> scale) {
    /** Validates and copies. */
    public FeatureInput {
      Objects.requireNonNull(input, "input");
      fields = List.copyOf(fields);
      mean = List.copyOf(mean);
      scale = List.copyOf(scale);
      if (fields.isEmpty() || mean.size() != fields.size() || scale.size() != fields.size()) {
        throw new IllegalArgumentException("featureInput: fields, mean and scale must have the same length (at"
            + " least 1), found " + fields.size() + ", " + mean.size() + " and " + scale.size());
      }
      if (scale.contains(0.0)) {
        throw new IllegalArgumentException("featureInput.scale must not contain 0, found " + scale);
      }
    }

    /**
     * Builds the normalised row from a {@code features} message.
     *
     * @throws IllegalArgumentException Naming the field missing or not a number.
     */
    public float[] row(JsonNode message) {
      float[] row = new float[fields.size()];
      for (int i = 0; i < row.length; i++) {
        JsonNode node = message;
        for (String part : fields.get(i).split("\\.")) {
          node = node == null ? null : node.get(part);
        }
        if (node == null || !node.isNumber()) {
          throw new IllegalArgumentException("features message: field '" + fields.get(i) + "' must be a number, found "
              + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        row[i] = (float) ((node.doubleValue() - mean.get(i)) / scale.get(i));
      }
      return row;
    }

    /** {@link #row} as a float32 tensor of shape {@code [1, fields]} named {@link #input()}. */
    public Tensor tensor(JsonNode message) {
      return Tensor.ofFloats(input, new long[] {1, fields.size()}, row(message));
    }
  }

  /**
   * How a {@code windows} message of the sensor-ingestion module (a window's raw samples, {@code "values"}) becomes
   * an input: exactly {@code length} values, as a float32 tensor of shape {@code [1, 1, length]} named
   * {@link #input()}.
   *
   * @param input The input the window feeds ({@code float32[-1 or 1, 1, length]}).
   * @param length The samples a window must hold, 1 or more.
   */
  public record WindowInput(String input, int length) {
    /** Validates. */
    public WindowInput {
      Objects.requireNonNull(input, "input");
      if (length < 1) {
        throw new IllegalArgumentException("windowInput.length must be 1 or more, found " + length);
      }
    }

    /**
     * The window's {@code values} as a float32 tensor {@code [1, 1, length]}.
     *
     * @throws IllegalArgumentException When {@code values} is missing or not an array, holds another number of values
     *     than {@link #length()} (naming both counts), or a value that is not a number (naming its index).
     */
    public Tensor tensor(JsonNode message) {
      JsonNode values = message == null ? null : message.get("values");
      if (values == null || !values.isArray()) {
        throw new IllegalArgumentException("windows message: 'values' must be an array of " + length + " numbers,"
            + " found " + (values == null ? "nothing" : values.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
      }
      if (values.size() != length) {
        throw new IllegalArgumentException("windows message: 'values' holds " + values.size() + " samples, the"
            + " model's windowInput.length is " + length);
      }
      float[] row = new float[length];
      for (int i = 0; i < length; i++) {
        JsonNode v = values.get(i);
        if (!v.isNumber()) {
          throw new IllegalArgumentException("windows message: values[" + i + "] must be a number, found " + v);
        }
        row[i] = v.floatValue();
      }
      return Tensor.ofFloats(input, new long[] {1, 1, length}, row);
    }
  }

  /**
   * The {@code partition} block of one part of a split model: which model it is a part of, which part, and where its
   * output tensors go.
   *
   * @param model The unsplit model's name: the last part answers as that model.
   * @param part This part's index, 0-based.
   * @param parts How many parts, 2 or more.
   * @param next The model name of the next part; null for the last part.
   * @param activationEncoding How this part encodes the float32 tensors it forwards (unused by the last part).
   */
  public record Partition(String model, int part, int parts, String next, ActivationEncoding activationEncoding) {
    /** Validates. */
    public Partition {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(activationEncoding, "activationEncoding");
      if (parts < 2) {
        throw new IllegalArgumentException("partition.parts must be 2 or more, found " + parts);
      }
      if (part < 0 || part >= parts) {
        throw new IllegalArgumentException("partition.part must be 0 to " + (parts - 1) + " (parts " + parts
            + "), found " + part);
      }
      if (part < parts - 1 && next == null) {
        throw new IllegalArgumentException("partition.next is required for part " + part + " of " + parts
            + " (only the last part has none)");
      }
      if (part == parts - 1 && next != null) {
        throw new IllegalArgumentException("partition.next must be absent for the last part (" + part + " of "
            + parts + "), found '" + next + "'");
      }
    }

    /** Whether this is the last part, which answers on {@code results} as the unsplit model. */
    public boolean last() {
      return part == parts - 1;
    }
  }

  /**
   * Triton-style dynamic batching of one model version.
   *
   * @param maxBatchSize Most rows in one run (1 to 65536).
   * @param maxQueueDelay How long the oldest request may wait for others before a smaller batch runs.
   * @param maxQueueSize Most requests waiting; more are refused QUEUE_FULL.
   * @param requestTimeout Most time a request may wait before it runs; longer is TIMEOUT.
   * @param instances Concurrent runs (worker threads) per version.
   * @param adaptive Whether a batch waits for company only while a run is in progress: an idle version runs what is
   *     queued at once, and requests that arrive during runs gather into the next batch (at most
   *     {@code maxQueueDelay}). Off: Triton's rule, every batch waits until full or {@code maxQueueDelay}.
   */
  public record Batching(int maxBatchSize, Duration maxQueueDelay, int maxQueueSize, Duration requestTimeout,
      int instances, boolean adaptive) {
    /** The defaults: 32 rows, 500 µs, 256 requests, 2 s, 1 instance, adaptive. */
    public static final Batching DEFAULT = new Batching(32, Duration.ofNanos(500_000), 256, Duration.ofSeconds(2), 1);

    /** Adaptive batching with these limits. */
    public Batching(int maxBatchSize, Duration maxQueueDelay, int maxQueueSize, Duration requestTimeout,
        int instances) {
      this(maxBatchSize, maxQueueDelay, maxQueueSize, requestTimeout, instances, true);
    }

    /** Validates. */
    public Batching {
      if (maxBatchSize < 1 || maxBatchSize > 65536) {
        throw new IllegalArgumentException("batching.maxBatchSize must be 1 to 65536, found " + maxBatchSize);
      }
      if (maxQueueDelay.isNegative() || maxQueueDelay.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("batching.maxQueueDelayMicros must be 0 to 10000000, found "
            + maxQueueDelay.toNanos() / 1000);
      }
      if (maxQueueSize < 1 || maxQueueSize > 1_000_000) {
        throw new IllegalArgumentException("batching.maxQueueSize must be 1 to 1000000, found " + maxQueueSize);
      }
      if (requestTimeout.compareTo(Duration.ofMillis(1)) < 0 || requestTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("batching.requestTimeoutMillis must be 1 to 3600000, found "
            + requestTimeout.toMillis());
      }
      if (instances < 1 || instances > 64) {
        throw new IllegalArgumentException("batching.instances must be 1 to 64, found " + instances);
      }
    }
  }

  /**
   * Reads and validates a {@code model.json}.
   *
   * @throws ModelRepositoryException Naming the file and the JSON path of what is wrong, what was found and what was
   *     expected.
   */
  public static ModelDescriptor read(Path modelJson) throws ModelRepositoryException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(modelJson));
    } catch (NoSuchFileException e) {
      throw new ModelRepositoryException(modelJson + ": no such file (every version directory needs a model.json)");
    } catch (JacksonException e) {
      throw new ModelRepositoryException(modelJson + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelRepositoryException(modelJson + ": cannot read: " + e, e);
    }
    try {
      return parse(root);
    } catch (BadSetting e) {
      throw new ModelRepositoryException(modelJson + ": " + e.path + ": " + e.getMessage());
    }
  }

  /**
   * The descriptor a version without {@code model.json} is served with, completed from the model itself as Triton
   * completes an ONNX model's configuration: its inputs and outputs with their element types and shapes (symbolic
   * dimensions open), dynamic batching with the defaults when the first dimension of every input and output is open,
   * else none ({@code maxBatchSize} 1), the default warm-up, no labels and no feature input.
   *
   * @param name The model's name (its directory's).
   * @param inputs The model's inputs, as the backend reads them.
   * @param outputs The model's outputs, as the backend reads them.
   * @throws IllegalArgumentException When the model has no input or no output.
   */
  public static ModelDescriptor derive(String name, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    boolean batchable = inputs.stream().allMatch(TensorSpec::batchable)
        && outputs.stream().allMatch(TensorSpec::batchable);
    Batching d = Batching.DEFAULT;
    Batching batching = batchable ? d
        : new Batching(1, Duration.ZERO, d.maxQueueSize(), d.requestTimeout(), d.instances(), d.adaptive());
    return new ModelDescriptor(name, "derived from model.onnx (no model.json)", inputs, outputs, Optional.empty(),
        Optional.empty(), batching, DEFAULT_WARMUP_RUNS);
  }

  /** This descriptor as a {@code model.json} document, every setting written out; {@link #parse} reads it back. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", name);
    if (!description.isBlank()) {
      // A model.json without one reads as "", which read() refuses as a value: leave it out, as it came.
      root.put("description", description);
    }
    specsJson(root.putArray("inputs"), inputs);
    specsJson(root.putArray("outputs"), outputs);
    if (labels != null) {
      ObjectNode l = root.putObject("labels");
      l.put("output", labels.output());
      labels.classes().forEach(l.putArray("classes")::add);
    }
    if (featureInput != null) {
      ObjectNode f = root.putObject("featureInput");
      f.put("input", featureInput.input());
      featureInput.fields().forEach(f.putArray("fields")::add);
      featureInput.mean().forEach(f.putArray("mean")::add);
      featureInput.scale().forEach(f.putArray("scale")::add);
    }
    if (windowInput != null) {
      root.putObject("windowInput").put("input", windowInput.input()).put("length", windowInput.length());
    }
    if (partition != null) {
      ObjectNode p = root.putObject("partition");
      p.put("model", partition.model());
      p.put("part", partition.part());
      p.put("parts", partition.parts());
      if (partition.next() != null) {
        p.put("next", partition.next());
      }
      p.put("activationEncoding", partition.activationEncoding().spelling());
    }
    ObjectNode b = root.putObject("batching");
    b.put("maxBatchSize", batching.maxBatchSize());
    b.put("maxQueueDelayMicros", batching.maxQueueDelay().toNanos() / 1000);
    b.put("maxQueueSize", batching.maxQueueSize());
    b.put("requestTimeoutMillis", batching.requestTimeout().toMillis());
    b.put("instances", batching.instances());
    b.put("adaptive", batching.adaptive());
    root.putObject("warmup").put("runs", warmupRuns);
    return root;
  }

  private static void specsJson(ArrayNode array, List<TensorSpec> specs) {
    for (TensorSpec spec : specs) {
      ObjectNode item = array.addObject();
      item.put("name", spec.name());
      item.put("type", spec.type().spelling());
      ArrayNode shape = item.putArray("shape");
      for (long d : spec.shape()) {
        shape.add(d);
      }
    }
  }

  /** Parses the JSON tree of a {@code model.json}; see {@link #read}. */
  static ModelDescriptor parse(JsonNode root) throws BadSetting {
    Node r = new Node("", root);
    r.requireObject();
    r.rejectUnknown(TOP_LEVEL);
    String name = r.field("name").text();
    String description = r.optional("description") == null ? "" : r.field("description").text();
    List<TensorSpec> inputs = specs(r.field("inputs"));
    List<TensorSpec> outputs = specs(r.field("outputs"));
    Labels labels = null;
    Node l = r.optional("labels");
    if (l != null) {
      l.requireObject();
      l.rejectUnknown(Set.of("output", "classes"));
      Node output = l.field("output");
      String outputName = output.text();
      if (outputs.stream().noneMatch(o -> o.name().equals(outputName))) {
        throw output.bad("names no output; found '" + outputName + "', outputs are " + names(outputs));
      }
      labels = new Labels(outputName, l.field("classes").texts());
    }
    FeatureInput featureInput = null;
    Node f = r.optional("featureInput");
    if (f != null) {
      featureInput = featureInput(f, inputs);
    }
    WindowInput windowInput = null;
    Node wi = r.optional("windowInput");
    if (wi != null) {
      windowInput = windowInput(wi, inputs);
    }
    Partition partition = null;
    Node p = r.optional("partition");
    if (p != null) {
      partition = partition(p);
    }
    Node trt = r.optional("tensorrt");
    if (trt != null) {
      trt.requireObject(); // its settings are the TensorRT backend's (inference-tensorrt), checked when it loads
    }
    Batching batching = Batching.DEFAULT;
    Node b = r.optional("batching");
    if (b != null) {
      b.requireObject();
      b.rejectUnknown(Set.of("maxBatchSize", "maxQueueDelayMicros", "maxQueueSize", "requestTimeoutMillis",
          "instances", "adaptive"));
      Batching d = Batching.DEFAULT;
      int maxBatchSize = b.optionalInt("maxBatchSize", d.maxBatchSize(), 1, 65536);
      long delayMicros = b.optionalLong("maxQueueDelayMicros", d.maxQueueDelay().toNanos() / 1000, 0, 10_000_000);
      int maxQueueSize = b.optionalInt("maxQueueSize", d.maxQueueSize(), 1, 1_000_000);
      long timeoutMillis = b.optionalLong("requestTimeoutMillis", d.requestTimeout().toMillis(), 1, 3_600_000);
      int instances = b.optionalInt("instances", d.instances(), 1, 64);
      boolean adaptive = b.optionalBoolean("adaptive", d.adaptive());
      batching = new Batching(maxBatchSize, Duration.ofNanos(delayMicros * 1000), maxQueueSize,
          Duration.ofMillis(timeoutMillis), instances, adaptive);
    }
    int warmupRuns = DEFAULT_WARMUP_RUNS;
    Node w = r.optional("warmup");
    if (w != null) {
      w.requireObject();
      w.rejectUnknown(Set.of("runs"));
      warmupRuns = w.optionalInt("runs", DEFAULT_WARMUP_RUNS, 0, 1000);
    }
    return new ModelDescriptor(name, description, inputs, outputs, Optional.ofNullable(labels),
        Optional.ofNullable(featureInput), Optional.ofNullable(windowInput), Optional.ofNullable(partition), batching,
        warmupRuns);
  }

  private static WindowInput windowInput(Node w, List<TensorSpec> inputs) throws BadSetting {
    w.requireObject();
    w.rejectUnknown(Set.of("input", "length"));
    Node input = w.field("input");
    String inputName = input.text();
    TensorSpec spec = inputs.stream().filter(i -> i.name().equals(inputName)).findFirst()
        .orElseThrow(() -> input.bad("names no input; found '" + inputName + "', inputs are " + names(inputs)));
    Node lengthNode = w.field("length");
    int length = (int) w.requiredLong("length", 1, 1 << 24);
    long[] shape = spec.shape();
    if (spec.type() != ElementType.FLOAT32 || shape.length != 3 || (shape[0] != -1 && shape[0] != 1)
        || (shape[1] != -1 && shape[1] != 1) || (shape[2] != -1 && shape[2] != length)) {
      throw lengthNode.bad("is " + length + ", but input '" + inputName + "' is " + spec + "; expected float32[-1, 1, "
          + length + "]");
    }
    return new WindowInput(inputName, length);
  }

  private static Partition partition(Node p) throws BadSetting {
    p.requireObject();
    p.rejectUnknown(Set.of("model", "part", "parts", "next", "activationEncoding"));
    String model = p.field("model").text();
    int parts = (int) p.requiredLong("parts", 2, 1 << 16);
    int part = (int) p.requiredLong("part", 0, parts - 1);
    Node nextNode = p.optional("next");
    String next = nextNode == null ? null : nextNode.text();
    if (part < parts - 1 && next == null) {
      throw p.child("next", null).bad("is required for part " + part + " of " + parts + " (the model name of the"
          + " next part, e.g. '" + model + "-part-" + (part + 1) + "'); only the last part has none");
    }
    if (part == parts - 1 && next != null) {
      throw nextNode.bad("must be absent for the last part (" + part + " of " + parts + "), found '" + next + "'");
    }
    ActivationEncoding encoding = ActivationEncoding.FLOAT32;
    Node e = p.optional("activationEncoding");
    if (e != null) {
      try {
        encoding = ActivationEncoding.parse(e.text());
      } catch (IllegalArgumentException ex) {
        throw e.bad(ex.getMessage());
      }
    }
    return new Partition(model, part, parts, next, encoding);
  }

  private static FeatureInput featureInput(Node f, List<TensorSpec> inputs) throws BadSetting {
    f.requireObject();
    f.rejectUnknown(Set.of("input", "fields", "mean", "scale"));
    Node input = f.field("input");
    String inputName = input.text();
    TensorSpec spec = inputs.stream().filter(i -> i.name().equals(inputName)).findFirst()
        .orElseThrow(() -> input.bad("names no input; found '" + inputName + "', inputs are " + names(inputs)));
    Node fieldsNode = f.field("fields");
    List<String> fields = fieldsNode.texts();
    if (fields.isEmpty()) {
      throw fieldsNode.bad("must list at least one field, found none");
    }
    long[] shape = spec.shape();
    if (spec.type() != ElementType.FLOAT32 || shape.length != 2 || (shape[1] != -1 && shape[1] != fields.size())) {
      throw fieldsNode.bad("lists " + fields.size() + " fields, but input '" + inputName + "' is " + spec
          + "; expected float32[-1, " + fields.size() + "]");
    }
    List<Double> mean = f.optional("mean") == null ? java.util.Collections.nCopies(fields.size(), 0.0)
        : f.field("mean").numbers(fields.size(), false);
    List<Double> scale = f.optional("scale") == null ? java.util.Collections.nCopies(fields.size(), 1.0)
        : f.field("scale").numbers(fields.size(), true);
    return new FeatureInput(inputName, fields, mean, scale);
  }

  private static List<TensorSpec> specs(Node array) throws BadSetting {
    List<Node> items = array.items();
    if (items.isEmpty()) {
      throw array.bad("must list at least one tensor, found none");
    }
    List<TensorSpec> specs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Node item : items) {
      item.requireObject();
      item.rejectUnknown(Set.of("name", "type", "shape"));
      Node nameNode = item.field("name");
      String name = nameNode.text();
      if (!seen.add(name)) {
        throw nameNode.bad("duplicate tensor name '" + name + "'");
      }
      Node typeNode = item.field("type");
      ElementType type;
      try {
        type = ElementType.parse(typeNode.text());
      } catch (IllegalArgumentException e) {
        throw typeNode.bad(e.getMessage());
      }
      Node shapeNode = item.field("shape");
      List<Node> dims = shapeNode.items();
      long[] shape = new long[dims.size()];
      for (int i = 0; i < shape.length; i++) {
        Node dim = dims.get(i);
        if (!dim.json.isIntegralNumber() || dim.json.longValue() < -1 || dim.json.longValue() == 0) {
          throw shapeNode.bad("dimensions must be -1 (open) or positive integers, found " + shapeNode.json);
        }
        shape[i] = dim.json.longValue();
      }
      specs.add(new TensorSpec(name, type, shape));
    }
    return specs;
  }

  private static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList().toString();
  }

  /** A bad setting at a JSON path. */
  static final class BadSetting extends Exception {
    private static final long serialVersionUID = 1L;
    final String path;

    BadSetting(String path, String message) {
      super(message);
      this.path = path;
    }
  }

  /** A JSON node with its path, for error messages. */
  private record Node(String path, JsonNode json) {
    BadSetting bad(String message) {
      return new BadSetting(path.isEmpty() ? "(top level)" : path, message);
    }

    void requireObject() throws BadSetting {
      if (!json.isObject()) {
        throw bad("must be a JSON object, found " + json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
    }

    void rejectUnknown(Set<String> known) throws BadSetting {
      for (Iterator<String> it = json.fieldNames(); it.hasNext();) {
        String key = it.next();
        if (!known.contains(key)) {
          throw child(key, json.get(key)).bad("unknown setting; expected one of " + new java.util.TreeSet<>(known));
        }
      }
    }

    Node child(String key, JsonNode value) {
      return new Node(path.isEmpty() ? key : path + "." + key, value);
    }

    Node optional(String key) {
      JsonNode value = json.get(key);
      return value == null || value.isNull() ? null : child(key, value);
    }

    Node field(String key) throws BadSetting {
      Node n = optional(key);
      if (n == null) {
        throw child(key, null).bad("is required but missing");
      }
      return n;
    }

    String text() throws BadSetting {
      if (!json.isTextual() || json.asText().isBlank()) {
        throw bad("must be a non-empty string, found " + json);
      }
      return json.asText();
    }

    List<Node> items() throws BadSetting {
      if (!json.isArray()) {
        throw bad("must be a JSON array, found " + json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
      List<Node> items = new ArrayList<>();
      for (int i = 0; i < json.size(); i++) {
        items.add(new Node(path + "[" + i + "]", json.get(i)));
      }
      return items;
    }

    List<String> texts() throws BadSetting {
      List<String> texts = new ArrayList<>();
      for (Node item : items()) {
        texts.add(item.text());
      }
      return texts;
    }

    List<Double> numbers(int expected, boolean nonZero) throws BadSetting {
      List<Node> items = items();
      if (items.size() != expected) {
        throw bad("must hold one number per field (" + expected + "), found " + items.size());
      }
      List<Double> numbers = new ArrayList<>();
      for (Node item : items) {
        if (!item.json.isNumber() || (nonZero && item.json.doubleValue() == 0)) {
          throw item.bad("must be a " + (nonZero ? "non-zero " : "") + "number, found " + item.json);
        }
        numbers.add(item.json.doubleValue());
      }
      return numbers;
    }

    long optionalLong(String key, long fallback, long min, long max) throws BadSetting {
      Node n = optional(key);
      if (n == null) {
        return fallback;
      }
      if (!n.json.isIntegralNumber() || n.json.longValue() < min || n.json.longValue() > max) {
        throw n.bad("must be an integer from " + min + " to " + max + ", found " + n.json);
      }
      return n.json.longValue();
    }

    long requiredLong(String key, long min, long max) throws BadSetting {
      Node n = field(key);
      if (!n.json.isIntegralNumber() || n.json.longValue() < min || n.json.longValue() > max) {
        throw n.bad("must be an integer from " + min + " to " + max + ", found " + n.json);
      }
      return n.json.longValue();
    }

    boolean optionalBoolean(String key, boolean fallback) throws BadSetting {
      Node n = optional(key);
      if (n == null) {
        return fallback;
      }
      if (!n.json.isBoolean()) {
        throw n.bad("must be true or false, found " + n.json);
      }
      return n.json.booleanValue();
    }

    int optionalInt(String key, int fallback, int min, int max) throws BadSetting {
      return (int) optionalLong(key, fallback, min, max);
    }
  }

  /** The {@code name} field (informational; the directory name is what requests use). */
  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** The declared inputs; passed to the backend so that a model with other inputs fails to load. */
  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  public Optional<Labels> labels() {
    return Optional.ofNullable(labels);
  }

  public Optional<FeatureInput> featureInput() {
    return Optional.ofNullable(featureInput);
  }

  /** How a {@code windows} message feeds this model, when it takes raw sample windows. */
  public Optional<WindowInput> windowInput() {
    return Optional.ofNullable(windowInput);
  }

  /** The {@code partition} block, when this model is one part of a split model. */
  public Optional<Partition> partition() {
    return Optional.ofNullable(partition);
  }

  public Batching batching() {
    return batching;
  }

  /** Runs on zero-filled inputs (batch 1) before the version reports READY. */
  public int warmupRuns() {
    return warmupRuns;
  }

  /** The declared input of that name, if any. */
  public Optional<TensorSpec> input(String inputName) {
    return inputs.stream().filter(i -> i.name().equals(inputName)).findFirst();
  }

  @Override
  public String toString() {
    return "ModelDescriptor[" + name + ", inputs " + inputs + ", outputs " + outputs + ", " + batching
        + ", warmup " + warmupRuns + "]";
  }
}
