package io.edgeai4j.inference.serving;

import java.util.concurrent.CompletableFuture;

/**
 * A request a {@link ServedVersion} accepted, with its rows (counted once, by validation): waiting in its
 * {@link RequestQueue} or in a run. Its fields never change; {@code result} is completed once, by whichever thread
 * answers the request.
 */
record PendingRequest(InferenceRequest request, int rows, long acceptedNanos,
    CompletableFuture<InferenceResult> result) {}
