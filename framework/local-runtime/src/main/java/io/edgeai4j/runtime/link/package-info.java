/**
 * Network links between devices: their syntax ({@link io.edgeai4j.runtime.link.LinkSpec}, e.g. {@code 10Mbit/20ms})
 * and their emulation ({@link io.edgeai4j.runtime.link.EmulatedLink}: bandwidth, latency, loss, down and up).
 */
package io.edgeai4j.runtime.link;
