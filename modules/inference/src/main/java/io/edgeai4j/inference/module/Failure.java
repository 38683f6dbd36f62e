package io.edgeai4j.inference.module;

import io.edgeai4j.inference.serving.FailureKind;
import io.edgeai4j.inference.serving.InferenceFailure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why a request got no result, as answered: {@code kind} is a {@link FailureKind} in lower case, or
 * {@value #BAD_REQUEST} (undecodable request) or {@value #RESULT_TOO_LARGE} (the result would exceed
 * edgeHub's message limit).
 *
 * @param kind The error kind.
 * @param message What was found and what was expected.
 */
record Failure(String kind, String message) {
  /** A request that cannot be decoded. */
  static final String BAD_REQUEST = "bad_request";
  /** A result over edgeHub's 256 KB limit. */
  static final String RESULT_TOO_LARGE = "result_too_large";

  static Failure of(FailureKind kind, String message) {
    return new Failure(kind.outcome(), message);
  }

  static Failure badRequest(String message) {
    return new Failure(BAD_REQUEST, message);
  }

  /** The failure a request's future or a handler ended with. */
  static Failure from(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof InferenceFailure f) {
      // A request the module could not build for the version it was routed to (a features row): the request's fault.
      return f.getCause() instanceof BadRequestException ? badRequest(f.getMessage()) : of(f.kind(), f.getMessage());
    }
    if (e instanceof BadRequestException b) {
      return badRequest(b.getMessage());
    }
    return of(FailureKind.MODEL_FAILED, e.toString());
  }

  /** The direct-method status for this kind. */
  int httpStatus() {
    return switch (kind) {
      case BAD_REQUEST, "bad_input" -> 400;
      case "unknown_model", "unknown_version" -> 404;
      case RESULT_TOO_LARGE -> 413;
      case "queue_full" -> 429;
      case "not_ready", "shutting_down" -> 503;
      case "timeout" -> 504;
      default -> 500;
    };
  }
}
