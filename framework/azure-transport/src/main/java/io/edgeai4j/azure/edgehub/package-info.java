/**
 * The {@code edgehub-mqtt} module transport: edgeHub's MQTT module surface spoken with Paho, without the Azure IoT
 * device SDK's client, so that application properties of routed messages are kept, inputs, methods and twin patches
 * run concurrently, inputs are acknowledged only after their handler returned, and sends are pipelined.
 * {@link io.edgeai4j.azure.edgehub.EdgeHubMqttTransportProvider} makes it from a module's environment.
 */
package io.edgeai4j.azure.edgehub;
