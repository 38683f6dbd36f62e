/**
 * The project's one backoff: {@link io.edgeai4j.retry.BackoffPolicy} (immutable: initial delay, cap, multiplier,
 * jitter) and {@link io.edgeai4j.retry.Backoff} (the delays of one thing being retried). Every reconnect and retry
 * loop of the framework, the source plug-ins and the modules uses it (the Azure IoT SDK keeps its own jittered retry
 * policy), so they all cap their delays and spread a fleet's retries the same way.
 */
package io.edgeai4j.retry;
