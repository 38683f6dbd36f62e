package io.edgeai4j.inference.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A version's {@code golden.json}: input samples and the outputs the model must give for them, within a tolerance
 * (format in {@code docs/model-updates.md}). {@link #check} runs every sample through a loaded model and names the
 * first difference. Immutable (its tensors are read-only views); thread-safe.
 *
 * @param tolerance How far a floating-point output may be from the expected one.
 * @param samples At least one sample.
 */
public record GoldenSamples(Tolerance tolerance, List<Sample> samples) {
  /** The file's name in a version directory. */
  public static final String FILE_NAME = "golden.json";
  /** The most samples one file may hold. */
  public static final int MAX_SAMPLES = 1000;
  /** The tolerance when the file gives none. */
  public static final Tolerance DEFAULT_TOLERANCE = new Tolerance(1e-4, 1e-3);
  /** The largest {@code golden.json} read, bytes (64 MiB): a larger one is refused before it is read. */
  public static final long MAX_FILE_BYTES = 64L << 20;
  /** The most bytes the decoded tensors of one file may hold together (256 MiB). */
  public static final long MAX_DECODED_BYTES = 256L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP_FIELDS = Set.of("tolerance", "samples");
  private static final Set<String> TOLERANCE_FIELDS = Set.of("absolute", "relative");
  private static final Set<String> SAMPLE_FIELDS = Set.of("inputs", "outputs");

  /** Validates and copies. */
  public GoldenSamples {
    Objects.requireNonNull(tolerance, "tolerance");
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("samples: at least one sample is needed, found none");
    }
  }

  /**
   * An element {@code a} matches the expected {@code e} when {@code |a - e| <= absolute + relative * |e|} (both
   * NaN match too, and equal values, infinities included); integer outputs must be equal, bools must be both false
   * (0) or both true (any other byte).
   *
   * @param absolute At least 0, finite.
   * @param relative At least 0, finite.
   */
  public record Tolerance(double absolute, double relative) {
    /** Validates. */
    public Tolerance {
      if (!(absolute >= 0) || Double.isInfinite(absolute)) {
        throw new IllegalArgumentException("tolerance.absolute: expected a finite number 0 or more, found "
            + absolute);
      }
      if (!(relative >= 0) || Double.isInfinite(relative)) {
        throw new IllegalArgumentException("tolerance.relative: expected a finite number 0 or more, found "
            + relative);
      }
    }

    /** The largest difference allowed from {@code expected}. */
    public double allowed(double expected) {
      return absolute + relative * Math.abs(expected);
    }
  }

  /**
   * One sample.
   *
   * @param inputs The model's inputs, by name.
   * @param outputs Expected outputs, by name (a subset of the model's outputs).
   */
  public record Sample(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
    /** Copies. */
    public Sample {
      inputs = Map.copyOf(inputs);
      outputs = Map.copyOf(outputs);
    }
  }

  /**
   * Reads a {@code golden.json}.
   *
   * @throws ModelRepositoryException When it cannot be read, is larger than {@link #MAX_FILE_BYTES}, or does not
   *     parse (its tensors holding more than {@link #MAX_DECODED_BYTES} included); the message starts with the file
   *     and the JSON path at fault, e.g. {@code /models/m/2/golden.json: samples[0].inputs.x.data: holds 3 values,
   *     the shape holds 4}.
   */
  public static GoldenSamples read(Path file) throws ModelRepositoryException {
    JsonNode root;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ModelRepositoryException(file + ": " + size + " bytes, at most " + MAX_FILE_BYTES + " bytes (64 MiB)"
            + " allowed for a " + FILE_NAME);
      }
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new ModelRepositoryException(file + ": not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ModelRepositoryException(file + ": cannot be read: " + e, e);
    }
    try {
      return parse(root);
    } catch (TensorFormatException e) {
      throw new ModelRepositoryException(file + ": " + e.getMessage());
    }
  }

  /**
   * Parses the JSON of a {@code golden.json}. Unknown fields are refused.
   *
   * @throws TensorFormatException Naming the JSON path at fault, what was found and what was expected.
   */
  public static GoldenSamples parse(JsonNode root) throws TensorFormatException {
    return parse(root, MAX_DECODED_BYTES);
  }

  /** {@link #parse(JsonNode)} with another limit on the decoded tensors' bytes (tests use a small one). */
  static GoldenSamples parse(JsonNode root, long maxDecodedBytes) throws TensorFormatException {
    requireObject(root, "", TOP_FIELDS);
    Tolerance tolerance = tolerance(root.get("tolerance"));
    JsonNode samples = root.get("samples");
    if (samples == null || !samples.isArray() || samples.isEmpty()) {
      throw new TensorFormatException("samples", "must be an array of at least one sample {\"inputs\","
          + " \"outputs\"}, found " + TensorJson.describe(samples));
    }
    if (samples.size() > MAX_SAMPLES) {
      throw new TensorFormatException("samples", "holds " + samples.size() + " samples, at most " + MAX_SAMPLES
          + " allowed");
    }
    List<Sample> parsed = new java.util.ArrayList<>();
    long[] decodedBytes = {0};
    for (int i = 0; i < samples.size(); i++) {
      String path = "samples[" + i + "]";
      JsonNode sample = samples.get(i);
      requireObject(sample, path, SAMPLE_FIELDS);
      parsed.add(new Sample(tensors(sample.get("inputs"), path + ".inputs", decodedBytes, maxDecodedBytes),
          tensors(sample.get("outputs"), path + ".outputs", decodedBytes, maxDecodedBytes)));
    }
    return new GoldenSamples(tolerance, parsed);
  }

  private static Tolerance tolerance(JsonNode node) throws TensorFormatException {
    if (node == null || node.isNull()) {
      return DEFAULT_TOLERANCE;
    }
    requireObject(node, "tolerance", TOLERANCE_FIELDS);
    double absolute = number(node.get("absolute"), "tolerance.absolute", DEFAULT_TOLERANCE.absolute());
    double relative = number(node.get("relative"), "tolerance.relative", DEFAULT_TOLERANCE.relative());
    return new Tolerance(absolute, relative);
  }

  private static double number(JsonNode node, String path, double fallback) throws TensorFormatException {
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber() || node.doubleValue() < 0 || Double.isInfinite(node.doubleValue())) {
      throw new TensorFormatException(path, "must be a number 0 or more, found " + TensorJson.describe(node));
    }
    return node.doubleValue();
  }

  private static void requireObject(JsonNode node, String path, Set<String> fields) throws TensorFormatException {
    if (node == null || !node.isObject()) {
      throw new TensorFormatException(path, "must be an object with " + new java.util.TreeSet<>(fields) + ", found "
          + TensorJson.describe(node));
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new TensorFormatException(path.isEmpty() ? name : path + "." + name, "unknown field (expected one of "
            + new java.util.TreeSet<>(fields) + ")");
      }
    }
  }

  /** Decodes a sample's tensors, adding their bytes to {@code decodedBytes[0]} and refusing beyond {@code max}. */
  private static Map<String, Tensor> tensors(JsonNode node, String path, long[] decodedBytes, long max)
      throws TensorFormatException {
    if (node == null || !node.isObject() || node.isEmpty()) {
      throw new TensorFormatException(path, "must be an object of at least one tensor by name, found "
          + TensorJson.describe(node));
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = path + "." + e.getKey();
      Tensor tensor = TensorJson.decode(e.getKey(), e.getValue(), at);
      decodedBytes[0] += tensor.elementCount() * tensor.type().bytes();
      if (decodedBytes[0] > max) {
        throw new TensorFormatException(at, "the tensors decoded so far hold " + decodedBytes[0] + " bytes, at most "
            + max + " bytes allowed for all the samples of a " + FILE_NAME);
      }
      tensors.put(e.getKey(), tensor);
    }
    return tensors;
  }

  /**
   * Runs every sample through {@code model} and compares its outputs with the expected ones.
   *
   * @param declaredInputs The version's declared inputs ({@code model.json}), each sample's inputs are checked
   *     against.
   * @throws GoldenCheckException At the first sample that fails: its message names the sample's index, the output,
   *     the first differing element's index, the values found and expected, and the tolerance, e.g.
   *     {@code golden sample 2, output 'y'[3]: 0.51, expected 0.73 ± 0.00083}.
   */
  public void check(LoadedModel model, List<TensorSpec> declaredInputs) throws GoldenCheckException {
    for (int i = 0; i < samples.size(); i++) {
      Sample sample = samples.get(i);
      String at = "golden sample " + i;
      try {
        TensorRows.validate(sample.inputs(), declaredInputs, false, Integer.MAX_VALUE);
      } catch (InferenceFailure bad) {
        throw new GoldenCheckException(at + ": " + bad.getMessage());
      }
      Map<String, Tensor> actual;
      try {
        actual = model.run(sample.inputs());
      } catch (InferenceException | RuntimeException e) {
        throw new GoldenCheckException(at + ": the run failed: " + e.getMessage());
      }
      for (Map.Entry<String, Tensor> e : new java.util.TreeMap<>(sample.outputs()).entrySet()) {
        String mismatch = compare(e.getValue(), actual.get(e.getKey()), actual.keySet());
        if (mismatch != null) {
          throw new GoldenCheckException(at + ", output '" + e.getKey() + "'" + mismatch);
        }
      }
    }
  }

  /** Null when {@code actual} matches {@code expected}; else the difference, starting with {@code [i]: } or {@code : }. */
  private String compare(Tensor expected, Tensor actual, Set<String> outputs) {
    if (actual == null) {
      return ": the model gave no such output (its outputs: " + new java.util.TreeSet<>(outputs) + ")";
    }
    if (actual.type() != expected.type()) {
      return ": type " + actual.type().spelling() + ", expected " + expected.type().spelling();
    }
    if (!Arrays.equals(actual.shape(), expected.shape())) {
      return ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
    }
    ByteBuffer a = actual.data();
    ByteBuffer e = expected.data();
    long n = expected.elementCount();
    ElementType type = expected.type();
    for (int i = 0; i < n; i++) {
      switch (type) {
        case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> {
          double av = type.readFloating(a);
          double ev = type.readFloating(e);
          double allowed = tolerance.allowed(ev);
          // Equal values match (equal infinities too, whose difference is NaN), and so do two NaNs; an infinity
          // matches only itself (the tolerance of an infinite expected value would be infinite).
          boolean same = av == ev || Double.isNaN(av) && Double.isNaN(ev);
          boolean within = Double.isFinite(av) && Double.isFinite(ev) && Math.abs(av - ev) <= allowed;
          if (!same && !within) {
            return "[" + i + "]: " + value(av, type) + ", expected " + value(ev, type) + " ± " + significant(allowed)
                + " (tolerance absolute " + tolerance.absolute() + " + relative " + tolerance.relative()
                + " × |expected|)";
          }
        }
        default -> {
          long av = integer(a, type);
          long ev = integer(e, type);
          if (av != ev) {
            return "[" + i + "]: " + av + ", expected " + ev + " (" + type.spelling() + " outputs must be equal)";
          }
        }
      }
    }
    return null;
  }

  private static long integer(ByteBuffer b, ElementType type) {
    return switch (type) {
      case BOOL -> b.get() != 0 ? 1 : 0;
      case INT8 -> b.get();
      case UINT8 -> Byte.toUnsignedInt(b.get());
      case INT32 -> b.getInt();
      case INT64 -> b.getLong();
      default -> throw new IllegalStateException("not an integer type: " + type);
    };
  }

  private static String value(double v, ElementType type) {
    return type == ElementType.FLOAT64 ? Double.toString(v) : Float.toString((float) v);
  }

  private static String significant(double v) {
    return Double.isFinite(v) ? new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString()
        : Double.toString(v);
  }
}
