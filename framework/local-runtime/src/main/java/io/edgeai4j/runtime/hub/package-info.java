/**
 * The in-process edgeHub of the local runtime: it routes module output with the edgeHub route engine
 * into one queue per endpoint and priority, expires messages by their time to live, delivers them to
 * module inputs or to the upstream file, and serves module twins and direct methods. With a store directory
 * ({@link io.edgeai4j.runtime.hub.HubOptions.Builder#storeDirectory}) the queues are also kept on disk, one
 * {@link io.edgeai4j.buffer.DiskBuffer} per endpoint and priority, and a new hub on the directory delivers what
 * the last one left (see {@link io.edgeai4j.runtime.hub.LocalEdgeHub}).
 */
package io.edgeai4j.runtime.hub;
