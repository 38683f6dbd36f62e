/**
 * Windows over sample streams and the features of a window, in pure Java.
 *
 * <p>{@link io.edgeai4j.signal.SlidingWindow} cuts one sensor's stream into tumbling or sliding windows
 * ({@link io.edgeai4j.signal.WindowSpec}) and hands each to a {@link io.edgeai4j.signal.WindowConsumer};
 * {@link io.edgeai4j.signal.FeatureExtractor} turns a window into {@link io.edgeai4j.signal.Features}:
 * statistics and the energies of {@link io.edgeai4j.signal.FrequencyBand}s from a JTransforms FFT. Both
 * are per-sensor, single-thread objects that allocate nothing per sample.
 */
package io.edgeai4j.signal;
