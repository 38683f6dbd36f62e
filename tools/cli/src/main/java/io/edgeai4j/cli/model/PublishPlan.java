package io.edgeai4j.cli.model;

import io.edgeai4j.modelpackage.Activation;
import io.edgeai4j.modelpackage.ModelFormat;
import io.edgeai4j.modelpackage.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code edge model publish} was asked to do, its options checked against each other. Immutable.
 *
 * @param modelDir The model directory, or null when {@code packageFile} is given.
 * @param packageFile The package, or null when {@code modelDir} is given.
 * @param name Null: from model.json or the directory.
 * @param version Null: from the directory.
 * @param signingKey Null: unsigned.
 * @param target Null when not said.
 * @param timeout For each IoT Hub request and for --check-url.
 * @param notBefore Null: no lower bound (--not-before).
 * @param expires Null: no expiry (--expires).
 * @param rollback Whether the release may replace a newer active version (--rollback).
 */
record PublishPlan(Path modelDir, Path packageFile, String name, Long version, Path signingKey, ModelFormat format,
    Target target, Activation activation, Destination destination, Audience audience, Duration timeout,
    boolean dryRun, Instant notBefore, Instant expires, boolean rollback) {}
