package io.edgeai4j.modelupdate.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One model's persisted update state: what is reported, plus what a restart needs to resume. Immutable.
 *
 * @param model The model's name.
 * @param state Where the update stands.
 * @param desiredVersion The version the state answers, or null.
 * @param activeVersion The version the inference module last said it serves, or null.
 * @param since When {@code state} was entered.
 * @param reason Why the update failed or was rolled back; null otherwise.
 * @param progressBytes Bytes downloaded of the package.
 * @param progressTotal The package's size, or 0 before a download.
 * @param release The release being worked on, as in the twin ({@code ModelRelease.toJson()}), or null (a JSON
 *     null read from a state file is normalised to null).
 * @param requestId The activation request's id while {@code activating}, else null.
 * @param servedVersions Every version the inference module has said it serves, ascending.
 * @param attempts The download attempts of {@code desiredVersion} that failed for a reason that may pass, in a row;
 *     0 when none (absent from older state files). A restart continues the backoff from it.
 * @param nextAttemptAt While {@code retrying}: when the next download attempt begins; else null.
 * @param lastError The last failed download attempt's error while retrying or downloading again; else null.
 */
public record ModelState(String model, UpdateState state, Long desiredVersion, Long activeVersion, Instant since,
    String reason, long progressBytes, long progressTotal, JsonNode release, String requestId,
    Set<Long> servedVersions, long attempts, Instant nextAttemptAt, String lastError) {

  /** Validates and copies. */
  public ModelState {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    // A state file holds "release": null, which Jackson reads as a NullNode: no release is null, never a node.
    if (release != null && (release.isNull() || release.isMissingNode())) {
      release = null;
    }
    servedVersions = servedVersions == null ? Set.of() : java.util.Collections.unmodifiableSet(
        new TreeSet<>(servedVersions));
  }

  /** The state of a model seen for the first time: unmanaged, nothing known. */
  public static ModelState unknown(String model, Instant now) {
    return new ModelState(model, UpdateState.UNMANAGED, null, null, now, null, 0, 0, null, null, Set.of(), 0, null,
        null);
  }

  /**
   * This state moved to {@code next} at {@code now}, answering {@code desired}; reason, progress, request and
   * retries reset.
   */
  public ModelState to(UpdateState next, Instant now, Long desired, JsonNode desiredRelease) {
    return new ModelState(model, next, desired, activeVersion, now, null, 0, 0, desiredRelease, null,
        servedVersions, 0, null, null);
  }

  /**
   * This download waiting to be retried: {@code retrying} since {@code now} (progress, release kept), after
   * {@code failures} failed attempts, the last for {@code error}, the next at {@code next}.
   */
  public ModelState retrying(Instant now, long failures, String error, Instant next) {
    return new ModelState(model, UpdateState.RETRYING, desiredVersion, activeVersion, now, null, progressBytes,
        progressTotal, release, null, servedVersions, failures, next, error);
  }

  /** Attempted again: {@code working} (downloading, verifying) since {@code now}, the retries so far kept. */
  public ModelState attemptingAgain(Instant now, UpdateState working) {
    return new ModelState(model, working, desiredVersion, activeVersion, now, null, progressBytes,
        progressTotal, release, null, servedVersions, attempts, null, lastError);
  }

  /** This state with another release (a renewed URI), everything else kept. */
  public ModelState withRelease(JsonNode desiredRelease) {
    return new ModelState(model, state, desiredVersion, activeVersion, since, reason, progressBytes, progressTotal,
        desiredRelease, requestId, servedVersions, attempts, nextAttemptAt, lastError);
  }

  /** This state with a reason (for failed and rolledBack). */
  public ModelState withReason(String why) {
    return new ModelState(model, state, desiredVersion, activeVersion, since, why, progressBytes, progressTotal,
        release, requestId, servedVersions, attempts, nextAttemptAt, lastError);
  }

  /** This state with download progress. */
  public ModelState withProgress(long bytes, long total) {
    return new ModelState(model, state, desiredVersion, activeVersion, since, reason, bytes, total, release,
        requestId, servedVersions, attempts, nextAttemptAt, lastError);
  }

  /** This state with an activation request id. */
  public ModelState withRequestId(String id) {
    return new ModelState(model, state, desiredVersion, activeVersion, since, reason, progressBytes, progressTotal,
        release, id, servedVersions, attempts, nextAttemptAt, lastError);
  }

  /** This state with the version the inference module serves (added to {@code servedVersions}). */
  public ModelState withActiveVersion(long version) {
    Set<Long> served = new TreeSet<>(servedVersions);
    served.add(version);
    return new ModelState(model, state, desiredVersion, version, since, reason, progressBytes, progressTotal,
        release, requestId, served, attempts, nextAttemptAt, lastError);
  }

  /**
   * The reported document: {@code state, desiredVersion, activeVersion, since, reason, progress}, and while a
   * download is retried {@code attempts, lastError, nextAttemptAt} (null, so deleted from the twin, otherwise).
   */
  public ObjectNode toReported() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("state", state.wireName());
    if (desiredVersion == null) {
      node.putNull("desiredVersion");
    } else {
      node.put("desiredVersion", desiredVersion);
    }
    if (activeVersion == null) {
      node.putNull("activeVersion");
    } else {
      node.put("activeVersion", activeVersion);
    }
    node.put("since", since.toString());
    node.put("reason", reason);
    ObjectNode progress = node.putObject("progress");
    progress.put("bytes", progressBytes);
    progress.put("total", progressTotal);
    if (attempts > 0) {
      node.put("attempts", attempts);
    } else {
      node.putNull("attempts");
    }
    node.put("lastError", lastError);
    node.put("nextAttemptAt", nextAttemptAt == null ? null : nextAttemptAt.toString());
    return node;
  }
}
