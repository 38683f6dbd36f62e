package io.edgeai4j.cli.model;

import io.edgeai4j.modelpackage.Activation;
import io.edgeai4j.modelpackage.ModelFormat;
import io.edgeai4j.modelpackage.Target;
import java.nio.file.Path;
import java.time.Duration;

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
 */
record PublishPlan(Path modelDir, Path packageFile, String name, Long version, Path signingKey, ModelFormat format,
    Target target, Activation activation, Destination destination, Audience audience, Duration timeout,
    boolean dryRun) {}
