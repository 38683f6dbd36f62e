/**
 * Several IoT Edge devices in one process, as a nested IoT Edge hierarchy: one local runtime per device, each child's
 * {@code $upstream} carried over an emulated link to its parent's edgeHub ({@link
 * io.edgeai4j.runtime.nested.DeviceHierarchy}).
 */
package io.edgeai4j.runtime.nested;
