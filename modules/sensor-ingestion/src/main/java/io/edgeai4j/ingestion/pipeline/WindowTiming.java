package io.edgeai4j.ingestion.pipeline;

/**
 * The timestamps of one window of single readings against the sensor's sample period: the {@code timing} object
 * of its features message. Counts are over the window's own readings (each spacing from the reading before, within
 * the window). The period-based fields are null when the sensor has no {@code sampleRateHz}.
 *
 * @param meanSpacingMs The mean spacing of the readings, (last - first) / (samples - 1).
 * @param periodMs The sample period {@code 1000 / sampleRateHz}, or null.
 * @param toleranceMs How far off the period a spacing may be and still be on time, or null.
 * @param jitterMaxMs The largest deviation of a spacing from the period, gaps left out, or null.
 * @param early Readings less than period - tolerance after the one before.
 * @param late Readings more than period + tolerance, and less than 1.5 periods, after the one before.
 * @param gaps Spacings of 1.5 periods or more.
 * @param missingSamples The samples those gaps leave out: round(spacing / period) - 1 each, at least 1.
 * @param outOfOrder Readings refused (dead letter {@code timestamp}) because their timestamp was not after the
 *     previous one, from just before the window's first reading to its last; in a sliding window, those before
 *     its first reading are also in the window before.
 */
record WindowTiming(double meanSpacingMs, Double periodMs, Double toleranceMs, Double jitterMaxMs, int early,
    int late, int gaps, long missingSamples, int outOfOrder) {
}
