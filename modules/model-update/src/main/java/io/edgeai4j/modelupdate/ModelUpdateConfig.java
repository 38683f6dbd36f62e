package io.edgeai4j.modelupdate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelupdate.download.DownloadSettings;
import io.edgeai4j.modelupdate.pipeline.UpdateSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model-update module's desired properties, bound by the module host. Immutable; the module-wide settings
 * are validated here (a bad one refuses the whole document, reported in {@code configurationStatus}); each model's
 * release is kept as JSON and validated on its own, so that one bad release fails only its model.
 *
 * @param models Each model's release, as in the twin, by model name.
 * @param keepVersions Version directories kept per model, the active one included: 1 to 20, default 3.
 * @param publicKey PEM text of the public key releases must be signed with, or null (then environment variable
 *     {@value ModelUpdateModule#PUBLIC_KEY_FILE_ENV}, else none).
 * @param download Download limits, backoff and timeouts.
 * @param activationTimeout How long an activation request waits for its {@code activated} reply before it is sent
 *     again: 100 ms to 1 h, default 120 s.
 * @param allowUnsignedReleases Desired property {@value UpdateSettings#ALLOW_UNSIGNED}: with no public key
 *     configured, true runs releases unchecked; false (the default) refuses them all. Ignored while a key is
 *     configured.
 */
public record ModelUpdateConfig(Map<String, JsonNode> models, int keepVersions, String publicKey,
    DownloadSettings download, Duration activationTimeout, boolean allowUnsignedReleases) {
  /** The default number of version directories kept per model. */
  public static final int DEFAULT_KEEP_VERSIONS = 3;
  /** The default activation timeout. */
  public static final Duration DEFAULT_ACTIVATION_TIMEOUT = Duration.ofSeconds(120);

  /** Binds from the twin; an absent field takes its default. */
  @JsonCreator
  public static ModelUpdateConfig of(@JsonProperty("models") Map<String, JsonNode> models,
      @JsonProperty("keepVersions") Integer keepVersions,
      @JsonProperty("publicKey") String publicKey,
      @JsonProperty("download") DownloadSettings download,
      @JsonProperty("activationTimeoutMillis") Long activationTimeoutMillis,
      @JsonProperty(UpdateSettings.ALLOW_UNSIGNED) JsonNode allowUnsignedReleases) {
    if (allowUnsignedReleases != null && !allowUnsignedReleases.isNull() && !allowUnsignedReleases.isBoolean()) {
      // Strict: a security switch is not coerced from "yes" or 1.
      throw new IllegalArgumentException(UpdateSettings.ALLOW_UNSIGNED + ": expected true or false, found "
          + allowUnsignedReleases);
    }
    return new ModelUpdateConfig(models == null ? Map.of() : models,
        keepVersions == null ? DEFAULT_KEEP_VERSIONS : keepVersions,
        publicKey == null || publicKey.isBlank() ? null : publicKey,
        download == null ? DownloadSettings.DEFAULT : download,
        activationTimeoutMillis == null ? DEFAULT_ACTIVATION_TIMEOUT : Duration.ofMillis(activationTimeoutMillis),
        allowUnsignedReleases != null && allowUnsignedReleases.asBoolean(false));
  }

  /** Validates the ranges and copies the map (null values, a model being deleted, are dropped). */
  public ModelUpdateConfig {
    if (keepVersions < 1 || keepVersions > 20) {
      throw new IllegalArgumentException("keepVersions: expected 1 to 20, found " + keepVersions);
    }
    if (activationTimeout.compareTo(Duration.ofMillis(100)) < 0 || activationTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("activationTimeoutMillis: expected 100 to 3600000, found "
          + activationTimeout.toMillis());
    }
    Map<String, JsonNode> copy = new TreeMap<>();
    models.forEach((name, release) -> {
      if (release != null && !release.isNull()) {
        copy.put(name, release);
      }
    });
    models = Collections.unmodifiableMap(copy);
  }

  /** The document as the twin holds it (without {@code $version}), for the twin-limit checks. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    ObjectNode modelsNode = node.putObject("models");
    new LinkedHashMap<>(models).forEach(modelsNode::set);
    node.put("keepVersions", keepVersions);
    if (publicKey != null) {
      node.put("publicKey", publicKey);
    }
    ObjectNode d = node.putObject("download");
    d.put("maxPackageBytes", download.maxPackageBytes());
    d.put("initialBackoffMillis", download.initialBackoff().toMillis());
    d.put("maxBackoffMillis", download.maxBackoff().toMillis());
    d.put("timeoutMillis", download.timeout().toMillis());
    d.put("progressIntervalMillis", download.progressInterval().toMillis());
    node.put("activationTimeoutMillis", activationTimeout.toMillis());
    node.put(UpdateSettings.ALLOW_UNSIGNED, allowUnsignedReleases);
    return node;
  }
}
