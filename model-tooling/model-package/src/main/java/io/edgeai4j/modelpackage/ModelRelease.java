package io.edgeai4j.modelpackage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * @param notBefore The device activates the release only from this instant on; null for no lower bound.
 * @param expires The device refuses the release from this instant on (it is not activated after it); null for no
 *     expiry. After {@code notBefore} when both are given.
 * @param rollback Whether the publisher means this release to replace a newer active version: a device refuses a
 *     version older than its active one unless this is true.
 */
public record ModelRelease(String name, long version, URI uri, String sha256, long size, String signature,
    ModelFormat format, Target target, Activation activation, Instant notBefore, Instant expires, boolean rollback) {

  /** The longest URI accepted, in characters. */
  public static final int MAX_URI_CHARACTERS = 2048;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
  /** The first field of {@link #signedStatement()}: names the statement's format. */
  public static final String STATEMENT_FORMAT = "edgeai4j-model-release-v2";

  private static final List<String> FIELDS = List.of("version", "uri", "sha256", "size", "signature", "format",
      "target", "activation", "notBefore", "expires", "rollback");
  private static final ObjectMapper CANONICAL = new ObjectMapper();
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
      sha256 = validate(pathOf(name), name, version, uri, sha256, size, signature, notBefore, expires);
    } catch (InvalidReleaseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * A release with no validity interval that is not a rollback.
   *
   * @throws IllegalArgumentException See the type's description.
   */
  public ModelRelease(String name, long version, URI uri, String sha256, long size, String signature,
      ModelFormat format, Target target, Activation activation) {
    this(name, version, uri, sha256, size, signature, format, target, activation, null, null, false);
  }

  /**
   * The canonical constructor, throwing the checked exception.
   *
   * @throws InvalidReleaseException Naming the first field that breaks a rule.
   */
  public static ModelRelease of(String name, long version, URI uri, String sha256, long size, String signature,
      ModelFormat format, Target target, Activation activation, Instant notBefore, Instant expires, boolean rollback)
      throws InvalidReleaseException {
    validate(pathOf(name), name, version, uri, sha256, size, signature, notBefore, expires);
    return new ModelRelease(name, version, uri, sha256, size, signature, format, target, activation, notBefore,
        expires, rollback);
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
    Instant notBefore = optionalInstant(path + ".notBefore", node.get("notBefore"));
    Instant expires = optionalInstant(path + ".expires", node.get("expires"));
    JsonNode rollbackNode = node.get("rollback");
    if (rollbackNode != null && !rollbackNode.isNull() && !rollbackNode.isBoolean()) {
      throw new InvalidReleaseException(path + ".rollback", "expected true or false, found " + describe(rollbackNode));
    }
    boolean rollback = rollbackNode != null && rollbackNode.asBoolean(false);
    String normalized = validate(path, name, version, uri, sha256, size, signature, notBefore, expires);
    return new ModelRelease(name, version, uri, normalized, size, signature, format, target, activation, notBefore,
        expires, rollback);
  }

  /**
   * The twin's JSON for this release (the value under {@code models.<name>}); omits a null signature, target,
   * notBefore or expires, and rollback when false.
   */
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
    if (notBefore != null) {
      node.put("notBefore", notBefore.toString());
    }
    if (expires != null) {
      node.put("expires", expires.toString());
    }
    if (rollback) {
      node.put("rollback", true);
    }
    return node;
  }

  /**
   * The text a signature covers (docs/model-updates.md): every field that decides what runs, as canonical JSON. One
   * object, keys sorted at every level, no whitespace, every field present ({@code null} when the release leaves it
   * out): {@code activation} ({@code policy}, and {@code start}, {@code end}, {@code zone} of a window),
   * {@code expires}, {@code format}, {@code name}, {@code notBefore} (instants as ISO-8601 UTC, e.g.
   * {@code 2027-01-01T00:00:00Z}), {@code rollback}, {@code sha256} (lower case), {@code size}, {@code statement}
   * ({@value #STATEMENT_FORMAT}), {@code target} (null, or {@code backend} and {@code precision}, each possibly null),
   * {@code version}. JSON's quoting makes it unambiguous: no value can end early or pass as another field. Not the URI,
   * which changes when a SAS token is renewed, nor the signature itself.
   */
  public String signedStatement() {
    Map<String, Object> statement = new TreeMap<>();
    Map<String, Object> activationFields = new TreeMap<>();
    activationFields.put("policy", activation.policy());
    if (activation instanceof Activation.Window w) {
      activationFields.put("start", HH_MM.format(w.start()));
      activationFields.put("end", HH_MM.format(w.end()));
      activationFields.put("zone", w.zone().getId());
    }
    statement.put("activation", activationFields);
    statement.put("expires", expires == null ? null : expires.toString());
    statement.put("format", format.spelling());
    statement.put("name", name);
    statement.put("notBefore", notBefore == null ? null : notBefore.toString());
    statement.put("rollback", rollback);
    statement.put("sha256", sha256);
    statement.put("size", size);
    statement.put("statement", STATEMENT_FORMAT);
    if (target == null) {
      statement.put("target", null);
    } else {
      Map<String, Object> targetFields = new TreeMap<>();
      targetFields.put("backend", target.backend());
      targetFields.put("precision", target.precision() == null ? null : target.precision().spelling());
      statement.put("target", targetFields);
    }
    statement.put("version", version);
    try {
      return CANONICAL.writeValueAsString(statement);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the signed statement: " + e.getMessage(), e);
    }
  }

  /**
   * The statement the first release format signed (name, version, format, size, sha256 only), kept only so that
   * {@link ReleaseSignatures#verify} can tell a release signed by an older tool from a forged one.
   */
  byte[] statementV1Bytes() {
    return ("edgeai4j-model-release-v1\n" + "name=" + name + "\n" + "version=" + version + "\n"
        + "format=" + format.spelling() + "\n" + "size=" + size + "\n" + "sha256=" + sha256 + "\n")
        .getBytes(StandardCharsets.UTF_8);
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
    return new ModelRelease(name, version, uri, sha256, size, signature, format, target, activation, notBefore,
        expires, rollback);
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
      String signature, Instant notBefore, Instant expires) throws InvalidReleaseException {
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
    if (notBefore != null && expires != null && !expires.isAfter(notBefore)) {
      throw new InvalidReleaseException(path + ".expires", "expected an instant after notBefore " + notBefore
          + ", found " + expires);
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

  private static Instant optionalInstant(String path, JsonNode node) throws InvalidReleaseException {
    String text = optionalText(path, node);
    if (text == null) {
      return null;
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    } catch (DateTimeParseException e) {
      throw new InvalidReleaseException(path, "expected an ISO-8601 instant with an offset, such as"
          + " 2027-01-01T00:00:00Z, found " + quote(text));
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
