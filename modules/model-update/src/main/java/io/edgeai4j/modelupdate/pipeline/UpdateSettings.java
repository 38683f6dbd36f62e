package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelupdate.download.PackageDownloader;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * What every model's worker is configured with; immutable.
 *
 * @param keepVersions Version directories kept in the repository per model, the active one included, 1 to 20.
 * @param publicKey The key releases must be signed with, or null when none is configured.
 * @param activationTimeout How long to wait for an {@code activated} reply before asking again.
 * @param downloader Downloads packages (shared; owned by the module).
 * @param allowUnsignedReleases With no {@code publicKey}: true runs releases unchecked, false (the default) refuses
 *     every release. Ignored while a key is configured (every release must then verify).
 */
public record UpdateSettings(int keepVersions, PublicKey publicKey, Duration activationTimeout,
    PackageDownloader downloader, boolean allowUnsignedReleases) {
  /** The module setting (desired property) that lets releases run unsigned when no key is configured. */
  public static final String ALLOW_UNSIGNED = "allowUnsignedReleases";

  /** Validates the fields. */
  public UpdateSettings {
    if (keepVersions < 1 || keepVersions > 20) {
      throw new IllegalArgumentException("keepVersions: expected 1 to 20, found " + keepVersions);
    }
    Objects.requireNonNull(activationTimeout, "activationTimeout");
    Objects.requireNonNull(downloader, "downloader");
  }
}
