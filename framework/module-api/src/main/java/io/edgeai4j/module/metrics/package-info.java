/**
 * Metrics and health for every module, for free: {@link io.edgeai4j.module.metrics.FrameworkMetrics}
 * holds the {@code edgeai4j_module_*} families the module host records, and
 * {@link io.edgeai4j.module.metrics.MetricsServer} serves them on {@code :9600/metrics} (the port the
 * IoT Edge metrics collector scrapes by convention) with {@code /health/live} and {@code /health/ready}
 * built from registered {@link io.edgeai4j.module.metrics.HealthCheck}s.
 */
package io.edgeai4j.module.metrics;
