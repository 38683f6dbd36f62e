/**
 * A bounded first-in-first-out buffer of byte records on disk, for spilling outgoing messages while
 * the downstream (edgeHub) is slow or unreachable.
 *
 * <p>{@link io.edgeai4j.buffer.DiskBuffer#open(io.edgeai4j.buffer.DiskBufferOptions)} recovers what a
 * previous run left in the directory; producers {@link io.edgeai4j.buffer.DiskBuffer#append(byte[])},
 * one consumer {@link io.edgeai4j.buffer.DiskBuffer#peek()}s, sends and
 * {@link io.edgeai4j.buffer.DiskBuffer#remove()}s. Records live in segment files
 * ({@code segment-<id>.seg}: an 8-byte header, then {@code [int length][int crc32][bytes]} frames), the
 * consumer's place in a two-slot {@code read-position} file, and a {@code buffer.lock} file keeps a
 * second process out. Depends only on the JDK and slf4j-api.
 */
package io.edgeai4j.buffer;
