/**
 * edgeHub's MQTT wire format for modules: topics and property bags, both directions, as edgeHub writes and
 * parses them (its {@code ProtocolGatewayMessageConverter} and {@code UrlEncodedDictionarySerializer}) and as the
 * Azure IoT device SDK sends them. Stateless and thread-safe.
 */
package io.edgeai4j.edgehub.wire;
