/**
 * The local edge runtime behind {@code edge run}: it loads a deployment manifest, starts in-process the
 * manifest modules edgeai4j provides, connects them through an in-process edgeHub, and serves twins,
 * direct methods, metrics and health. No cloud and no Docker.
 */
package io.edgeai4j.runtime;
