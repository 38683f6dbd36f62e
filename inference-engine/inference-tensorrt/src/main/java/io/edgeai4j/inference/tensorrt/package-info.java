/**
 * The TensorRT inference backend ({@code tensorrt}): {@link io.edgeai4j.inference.tensorrt.TensorRtBackendProvider}
 * found by {@link java.util.ServiceLoader}, engines built in a child process and cached, a pool of execution contexts
 * per model. See the module's README for configuration, the engine cache and the cost of a hot swap.
 */
package io.edgeai4j.inference.tensorrt;
