/**
 * Partitioned inference planning (issue 17): per-node latency profiles of a model taken with ONNX Runtime's profiler
 * ({@link io.edgeai4j.optimize.partition.Profiler}), and the planner that chooses where to cut the model between a
 * device, an edge node and the cloud from those profiles and the links' bandwidth and latency
 * ({@link io.edgeai4j.optimize.partition.Planner}): every prefix cut of a topological order, and on DAGs the DADS
 * min-cut.
 */
package io.edgeai4j.optimize.partition;
