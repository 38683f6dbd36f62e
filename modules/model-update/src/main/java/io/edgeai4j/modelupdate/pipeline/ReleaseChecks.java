package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import io.edgeai4j.modelpackage.SignatureCheckException;
import java.time.Instant;

/**
 * Whether a release may run on this device: its signature under the settings' key (required unless no key is
 * configured and {@code allowUnsignedReleases} is true), its expiry by the device's clock, and its version against
 * the active one (an older version only when the signed release says {@code "rollback": true}; the same version is
 * an idempotent hand-over). Checked before the download and again before a staged version is activated, with the
 * settings of that moment, so a version staged before a key was configured is verified against it. Stateless.
 */
final class ReleaseChecks {
  private ReleaseChecks() {}

  /**
   * The checks before anything is downloaded.
   *
   * @param active The version serving now, or null when none is known.
   * @throws UpdateFailure Naming the field and both sides.
   */
  static void beforeDownload(ModelRelease r, UpdateSettings settings, Long active, Instant now) throws UpdateFailure {
    signature(r, settings);
    notExpired(r, now);
    notOlder(r, active);
  }

  /**
   * The checks before a staged version goes into the repository: the signature again (the key or the setting may
   * have changed since it was staged) and the expiry.
   *
   * @throws UpdateFailure Naming the field.
   */
  static void beforeActivation(ModelRelease r, UpdateSettings settings, Instant now) throws UpdateFailure {
    signature(r, settings);
    notExpired(r, now);
  }

  /** Why {@code r} fails the signature check under {@code settings}, or null when it passes. */
  static String signatureProblem(ModelRelease r, UpdateSettings settings) {
    try {
      signature(r, settings);
      return null;
    } catch (UpdateFailure e) {
      return e.getMessage();
    }
  }

  private static void signature(ModelRelease r, UpdateSettings settings) throws UpdateFailure {
    if (settings.publicKey() != null) {
      try {
        ReleaseSignatures.verify(r, settings.publicKey());
      } catch (SignatureCheckException e) {
        throw new UpdateFailure(e.getMessage(), e);
      }
    } else if (!settings.allowUnsignedReleases()) {
      throw new UpdateFailure("models." + r.name() + ".signature: no public key is configured ("
          + "MODEL_SIGNING_PUBLIC_KEY_FILE or publicKey), so no release can be verified; expected a key, or "
          + UpdateSettings.ALLOW_UNSIGNED + ": true to run releases unchecked");
    }
  }

  private static void notExpired(ModelRelease r, Instant now) throws UpdateFailure {
    if (r.expires() != null && !now.isBefore(r.expires())) {
      throw new UpdateFailure("models." + r.name() + ".expires: the release expired at " + r.expires()
          + "; the device's clock says " + now);
    }
  }

  private static void notOlder(ModelRelease r, Long active) throws UpdateFailure {
    if (active != null && r.version() < active && !r.rollback()) {
      throw new UpdateFailure("models." + r.name() + ".version: " + r.version() + " is older than the active version "
          + active + "; a release that goes back must say so in its signed fields (\"rollback\": true, edge model"
          + " publish --rollback)");
    }
  }
}
