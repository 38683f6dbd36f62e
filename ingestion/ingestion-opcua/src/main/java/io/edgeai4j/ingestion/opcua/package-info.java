/**
 * The {@code "opcua"} sensor source: OPC UA client subscriptions with Eclipse Milo 1.x, with security
 * policy None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss, a client certificate from
 * configured files or generated once and kept in the source's state directory, credentials refused over
 * policy None unless explicitly allowed, and reconnection that re-creates the subscription after a server restart. Start at
 * {@link io.edgeai4j.ingestion.opcua.OpcUaSourceProvider} and {@link io.edgeai4j.ingestion.opcua.OpcUaSettings}.
 */
package io.edgeai4j.ingestion.opcua;
