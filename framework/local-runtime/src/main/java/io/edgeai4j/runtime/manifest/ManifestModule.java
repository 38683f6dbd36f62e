package io.edgeai4j.runtime.manifest;

import java.util.Map;
import java.util.Objects;

/**
 * One user module of {@code $edgeAgent}'s {@code modules}.
 *
 * @param name The module name (its module id).
 * @param image The image, as written in {@code settings.image}.
 * @param status Whether it should run.
 * @param startupOrder Lower values start first; {@code 4294967295} when absent, as in edgeAgent.
 * @param environment The {@code env} values, as strings.
 * @param createOptions The joined {@code createOptions} chunks, or {@code "{}"}.
 */
public record ManifestModule(
    String name,
    String image,
    ModuleStatus status,
    long startupOrder,
    Map<String, String> environment,
    String createOptions) {

  /** edgeAgent's default startup order. */
  public static final long DEFAULT_STARTUP_ORDER = 4_294_967_295L;

  /** Validates the fields and copies the map. */
  public ManifestModule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(status, "status");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(createOptions, "createOptions");
  }

  /**
   * Returns the image's name without registry, tag or digest: {@code myacr.azurecr.io/edgeai4j/threshold-filter:0.1.0-amd64}
   * gives {@code threshold-filter}.
   */
  public String imageName() {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    if (colon > slash) {
      s = s.substring(0, colon);
    }
    return s.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
