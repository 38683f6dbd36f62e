/**
 * Model serving over the backend SPI: a {@link io.edgeai4j.inference.serving.ModelServer} serves the versions of a
 * model repository that each {@link io.edgeai4j.inference.serving.VersionPolicy} picks, warmed up, swapped without
 * failing requests, batched per version as Triton's dynamic batcher does, with Prometheus metrics per version.
 */
package io.edgeai4j.inference.serving;
