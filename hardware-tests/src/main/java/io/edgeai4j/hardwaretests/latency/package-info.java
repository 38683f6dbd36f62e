/** Latency and throughput in trtexec's terms, from per-query traces. */
package io.edgeai4j.hardwaretests.latency;
