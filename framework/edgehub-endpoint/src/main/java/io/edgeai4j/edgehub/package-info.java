/**
 * An edgeHub-compatible MQTT endpoint for the local runtime: MQTT 3.1.1 over TLS on 8883 with edgeHub's topics,
 * property bags and SAS authentication, per-module keys, a generated CA and server certificate, and the IoT Edge
 * workload API, so that modules on the unmodified Azure IoT device SDK connect to {@code edge run} as to edgeHub.
 */
package io.edgeai4j.edgehub;
