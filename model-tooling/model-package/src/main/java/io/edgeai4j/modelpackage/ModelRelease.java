package io.edgeai4j.modelpackage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model release: the twin's pointer to one version of a model package in blob storage ({@code models.<name>} in
 * the desired properties of model-update; schema and limits in docs/model-updates.md). Immutable and thread-safe.
 *
 * <p>The canonical constructor validates every field and throws {@link IllegalArgumentException} whose message
 * starts with the dotted path ({@code models.<name>.<field>}) and whose cause is the {@link InvalidReleaseException};
 * {@link #of} and {@link #fromJson} throw the checked {@link InvalidReleaseException} itself (a record's constructor
 * cannot declare a checked exception).
 *
 * @param name The model's name and directory: {@code [A-Za-z0-9_.-]{1,128}}, not {@code .} or {@code ..}.
 * @param version At least 1.
 * @param uri Absolute {@code https}, or {@code http} only for 127.0.0.1, localhost or [::1]; at most 2048 characters.
 * @param sha256 Of the package file: 64 hex digits, stored in lower case.
 * @param size Of the package file in bytes, at least 1.
 * @param signature Base64 of a signature over {@link #signedStatement()}; null when unsigned.
 * @param format Null means {@link ModelFormat#ONNX}.
 * @param target Null when not said.
 * @param activation Null means {@link Activation#IMMEDIATE}.
 */
public record ModelRelease(String name, long version, URI uri, String sha256, long size, String signature,
    ModelFormat format, Target target, Activation activation) {

  /** The longest URI accepted, in characters. */
  public static final int MAX_URI_CHARACTERS = 2048;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final List<String> FIELDS =
      List.of("version", "uri", "sha256", "size", "signature", "format", "target", "activation");
  private static final List<String> TARGET_FIELDS = List.of("backend", "precision");
  private static final List<String> IMMEDIATE_FIELDS = List.of("policy");
  private static final List<String> WINDOW_FIELDS = List.of("policy", "start", "end", "zone");
  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  private static final int QUOTE_LIMIT = 80;

  /** @throws IllegalArgumentException See the type's description. */
  public ModelRelease {
    format = format == null ? ModelFormat.ONNX : format;
    activation = activation == null ? Activation.IMMEDIATE : activation;
    try {
      sha256 = validate(pathOf(name), name, version, uri, sha256, size, signature);
    } catch (InvalidReleaseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * The canonical constructor, throwing the checked exception.
   *
   * @throws InvalidReleaseException Naming the first field that breaks a rule.
   */
  public static ModelRelease of(String name, long version, URI uri, String sha256, long size, String signature,
      ModelFormat format, Target target, Activation activation) throws InvalidReleaseException {
    validate(pathOf(name), name, version, uri, sha256, size, signature);
    return new ModelRelease(name, version, uri, sha256, size, signature, format, target, activation);
  }

  /**
   * Reads a release from the twin, strictly: unknown fields, wrong JSON types, {@code "version": "3"} and
   * {@code 3.5} are refused. {@code format} defaults to onnx and {@code activation} to immediate; a JSON null for
   * an optional field ({@code signature}, {@code format}, {@code target}, {@code activation}) means absent.
   *
   * @param name The key under {@code models}.
   * @param node The value under that key.
   * @param path The dotted path of {@code node} for messages, e.g. {@code models.fault-classifier}.
   * @throws InvalidReleaseException Naming the first offending field by its dotted path below {@code path}.
   */
  public static ModelRelease fromJson(String name, JsonNode node, String path) throws InvalidReleaseException {
    checkName(path, name);
    requireObject(path, node, FIELDS);
    long version = requireLong(path + ".version", node.get("version"));
    URI uri = parseUri(path + ".uri", requireText(path + ".uri", node.get("uri")));
    String sha256 = requireText(path + ".sha256", node.get("sha256"));
    long size = requireLong(path + ".size", node.get("size"));
    String signature = optionalText(path + ".signature", node.get("signature"));
    String formatText = optionalText(path + ".format", node.get("format"));
    ModelFormat format;
    try {
      format = formatText == null ? ModelFormat.ONNX : ModelFormat.parse(formatText);
    } catch (IllegalArgumentException e) {
      throw new InvalidReleaseException(path + ".format", e.getMessage());
    }
    Target target = targetFromJson(path + ".target", node.get("target"));
    Activation activation = activationFromJson(path + ".activation", node.get("activation"));
    String normalized = validate(path, name, version, uri, sha256, size, signature);
    return new ModelRelease(name, version, uri, normalized, size, signature, format, target, activation);
  }

  /** The twin's JSON for this release (the value under {@code models.<name>}); omits a null signature or target. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    putInteger(node, "version", version);
    node.put("uri", uri.toString());
    node.put("sha256", sha256);
    putInteger(node, "size", size);
    if (signature != null) {
      node.put("signature", signature);
    }
    node.put("format", format.spelling());
    if (target != null) {
      ObjectNode t = node.putObject("target");
      if (target.backend() != null) {
        t.put("backend", target.backend());
      }
      if (target.precision() != null) {
        t.put("precision", target.precision().spelling());
      }
    }
    ObjectNode a = node.putObject("activation");
    a.put("policy", activation.policy());
    if (activation instanceof Activation.Window w) {
      a.put("start", HH_MM.format(w.start()));
      a.put("end", HH_MM.format(w.end()));
      a.put("zone", w.zone().getId());
    }
    return node;
  }

  /**
   * The text a signature covers (docs/model-updates.md): name, version, format, size and sha256, one
   * {@code key=value} line each after the line {@code edgeai4j-model-release-v1}, every line ending with
   * {@code \n}. Not the URI, which changes when a SAS token is renewed.
   */
  public String signedStatement() {
    return "edgeai4j-model-release-v1\n"
        + "name=" + name + "\n"
        + "version=" + version + "\n"
        + "format=" + format.spelling() + "\n"
        + "size=" + size + "\n"
        + "sha256=" + sha256 + "\n";
  }

  /** {@link #signedStatement()} in UTF-8: the bytes that are signed. */
  public byte[] signedStatementBytes() {
    return signedStatement().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * This release with {@code signature} (base64, or null for none).
   *
   * @throws IllegalArgumentException When it is not base64.
   */
  public ModelRelease withSignature(String signature) {
    return new ModelRelease(name, version, uri, sha256, size, signature, format, target, activation);
  }

  /** As an int node when it fits, so that the result equals the node Jackson parses from the same JSON text. */
  private static void putInteger(ObjectNode node, String field, long value) {
    if (value == (int) value) {
      node.put(field, (int) value);
    } else {
      node.put(field, value);
    }
  }

  private static String pathOf(String name) {
    return name != null && NAME.matcher(name).matches() ? "models." + name : "models";
  }

  private static String validate(String path, String name, long version, URI uri, String sha256, long size,
      String signature) throws InvalidReleaseException {
    checkName(path, name);
    if (version < 1) {
      throw new InvalidReleaseException(path + ".version", "expected an integer >= 1, found " + version);
    }
    checkUri(path + ".uri", uri);
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new InvalidReleaseException(path + ".sha256", "expected 64 hex digits, found " + quote(sha256));
    }
    if (size < 1) {
      throw new InvalidReleaseException(path + ".size", "expected an integer >= 1, found " + size);
    }
    if (signature != null) {
      checkBase64(path + ".signature", signature);
    }
    return sha256.toLowerCase(Locale.ROOT);
  }

  private static void checkName(String path, String name) throws InvalidReleaseException {
    if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new InvalidReleaseException(path, "expected a model name of 1 to 128 characters from A-Z a-z 0-9 _ . -,"
          + " not '.' or '..', found " + quote(name));
    }
  }

  private static void checkUri(String path, URI uri) throws InvalidReleaseException {
    if (uri == null) {
      throw new InvalidReleaseException(path, "missing; expected an absolute https URI");
    }
    String text = uri.toString();
    if (text.length() > MAX_URI_CHARACTERS) {
      throw new InvalidReleaseException(path,
          "expected at most " + MAX_URI_CHARACTERS + " characters, found " + text.length());
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    boolean https = "https".equalsIgnoreCase(scheme) && host != null;
    boolean loopbackHttp = "http".equalsIgnoreCase(scheme) && host != null
        && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    if (!uri.isAbsolute() || !(https || loopbackHttp)) {
      throw new InvalidReleaseException(path,
          "expected an absolute https URI (http only for 127.0.0.1, localhost or [::1]), found " + quote(text));
    }
  }

  private static URI parseUri(String path, String text) throws InvalidReleaseException {
    if (text.length() > MAX_URI_CHARACTERS) {
      throw new InvalidReleaseException(path,
          "expected at most " + MAX_URI_CHARACTERS + " characters, found " + text.length());
    }
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidReleaseException(path, "expected an absolute https URI, found " + quote(text) + ": "
          + e.getReason() + " at index " + e.getIndex());
    }
  }

  private static void checkBase64(String path, String text) throws InvalidReleaseException {
    try {
      if (text.isEmpty() || Base64.getDecoder().decode(text).length == 0) {
        throw new IllegalArgumentException("empty");
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidReleaseException(path, "expected non-empty base64, found " + quote(text));
    }
  }

  private static Target targetFromJson(String path, JsonNode node) throws InvalidReleaseException {
    if (node == null || node.isNull()) {
      return null;
    }
    requireObject(path, node, TARGET_FIELDS);
    String backend = optionalText(path + ".backend", node.get("backend"));
    if (backend != null && !Target.BACKENDS.contains(backend)) {
      throw new InvalidReleaseException(path + ".backend", Target.backendProblem(backend));
    }
    String precisionText = optionalText(path + ".precision", node.get("precision"));
    try {
      return new Target(backend, precisionText == null ? null : Precision.parse(precisionText));
    } catch (IllegalArgumentException e) {
      throw new InvalidReleaseException(path + ".precision", e.getMessage());
    }
  }

  private static Activation activationFromJson(String path, JsonNode node) throws InvalidReleaseException {
    if (node == null || node.isNull()) {
      return Activation.IMMEDIATE;
    }
    if (!node.isObject()) {
      throw new InvalidReleaseException(path, "expected an object, found " + describe(node));
    }
    JsonNode policy = node.get("policy");
    if (policy == null || policy.isNull()) {
      throw new InvalidReleaseException(path + ".policy", "missing; expected immediate or window");
    }
    String policyText = requireText(path + ".policy", policy);
    switch (policyText) {
      case "immediate" -> {
        requireObject(path, node, IMMEDIATE_FIELDS);
        return Activation.IMMEDIATE;
      }
      case "window" -> {
        requireObject(path, node, WINDOW_FIELDS);
        LocalTime start = parseTime(path + ".start", requireText(path + ".start", node.get("start")));
        LocalTime end = parseTime(path + ".end", requireText(path + ".end", node.get("end")));
        String zoneText = optionalText(path + ".zone", node.get("zone"));
        ZoneId zone;
        try {
          zone = zoneText == null ? ZoneId.of("UTC") : ZoneId.of(zoneText);
        } catch (DateTimeException e) {
          throw new InvalidReleaseException(path + ".zone",
              "expected an IANA zone id such as Europe/Berlin, found " + quote(zoneText));
        }
        if (start.equals(end)) {
          throw new InvalidReleaseException(path, "a window's start and end must differ, found "
              + HH_MM.format(start) + " to " + HH_MM.format(end));
        }
        return new Activation.Window(start, end, zone);
      }
      default -> throw new InvalidReleaseException(path + ".policy",
          "expected immediate or window, found " + quote(policyText));
    }
  }

  private static LocalTime parseTime(String path, String text) throws InvalidReleaseException {
    try {
      return LocalTime.parse(text, HH_MM);
    } catch (DateTimeParseException e) {
      throw new InvalidReleaseException(path, "expected HH:mm (00:00 to 23:59), found " + quote(text));
    }
  }

  private static void requireObject(String path, JsonNode node, List<String> fields)
      throws InvalidReleaseException {
    if (node == null || !node.isObject()) {
      throw new InvalidReleaseException(path, "expected an object, found " + describe(node));
    }
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!fields.contains(field)) {
        unknown.add(quote(field));
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidReleaseException(path, (unknown.size() == 1 ? "unknown field " : "unknown fields ")
          + String.join(", ", unknown) + "; expected only " + String.join(", ", fields));
    }
  }

  private static long requireLong(String path, JsonNode node) throws InvalidReleaseException {
    if (node == null || node.isNull()) {
      throw new InvalidReleaseException(path, "missing; expected an integer >= 1");
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new InvalidReleaseException(path, "expected an integer >= 1, found " + describe(node));
    }
    return node.longValue();
  }

  private static String requireText(String path, JsonNode node) throws InvalidReleaseException {
    if (node == null || node.isNull()) {
      throw new InvalidReleaseException(path, "missing; expected a string");
    }
    if (!node.isTextual()) {
      throw new InvalidReleaseException(path, "expected a string, found " + describe(node));
    }
    return node.textValue();
  }

  private static String optionalText(String path, JsonNode node) throws InvalidReleaseException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidReleaseException(path, "expected a string, found " + describe(node));
    }
    return node.textValue();
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isTextual()) {
      return "the string " + quote(node.textValue());
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    return node.toString();
  }

  /** {@code 'text'}, cut to 80 characters with an ellipsis, or {@code null}. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    return "'" + (text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "..." : text) + "'";
  }
}
