/**
 * Latency and throughput in trtexec's terms, from per-query traces: what {@code edge model perf --backend tensorrt}
 * and the Jetson hardware suite report. Pure Java: nothing here needs a GPU.
 */
package io.edgeai4j.nativebindings.perf;
