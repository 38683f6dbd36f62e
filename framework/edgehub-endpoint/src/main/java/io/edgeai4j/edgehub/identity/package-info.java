/**
 * Identities of the edgeHub-compatible endpoint, as edgeHub and the IoT Edge security daemon keep them: per-module
 * symmetric keys ({@link io.edgeai4j.edgehub.identity.ModuleKeys}), SAS tokens
 * ({@link io.edgeai4j.edgehub.identity.SasTokens}), the check of an MQTT CONNECT
 * ({@link io.edgeai4j.edgehub.identity.ConnectAuthenticator}), the local CA and server certificate
 * ({@link io.edgeai4j.edgehub.identity.EdgeCertificates}) and the connection strings modules get
 * ({@link io.edgeai4j.edgehub.identity.ModuleCredentials}).
 */
package io.edgeai4j.edgehub.identity;
