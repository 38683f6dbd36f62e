/**
 * The Azure IoT Edge transport: connects an edgeai4j module to edgeHub through the Azure IoT device SDK's
 * {@code ModuleClient}, always over MQTT.
 *
 * <p>{@link io.edgeai4j.azure.AzureTransportProvider} is found through {@code ServiceLoader} and creates an
 * {@link io.edgeai4j.azure.AzureModuleTransport} from either iotedgehubdev's connection string or the
 * IoT Edge runtime's {@code IOTEDGE_*} variables; {@link io.edgeai4j.azure.AzureTransportOptions} holds its
 * timeouts and retry policy; {@link io.edgeai4j.azure.JdkUnixDomainSocketChannel} lets the SDK reach the
 * workload API over the JDK's own unix-domain sockets.
 */
package io.edgeai4j.azure;
