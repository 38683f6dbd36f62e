/**
 * The MQTT 3.1.1 server over TLS (Netty's {@code netty-codec-mqtt}) that speaks edgeHub's module surface and bridges
 * each connected module to the {@link io.edgeai4j.runtime.hub.LocalEdgeHub} through the module's
 * {@link io.edgeai4j.module.spi.ModuleTransport}.
 */
package io.edgeai4j.edgehub.server;
