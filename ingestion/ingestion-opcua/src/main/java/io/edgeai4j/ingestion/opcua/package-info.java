/**
 * The {@code "opcua"} sensor source: OPC UA client subscriptions with Eclipse Milo 1.x, with security
 * policy None or Basic256Sha256, a client certificate generated once and kept in the source's state
 * directory, and reconnection that re-creates the subscription after a server restart. Start at
 * {@link io.edgeai4j.ingestion.opcua.OpcUaSourceProvider} and {@link io.edgeai4j.ingestion.opcua.OpcUaSettings}.
 */
package io.edgeai4j.ingestion.opcua;
