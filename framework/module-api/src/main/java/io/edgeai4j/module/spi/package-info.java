/**
 * The service-provider interface a transport implements to connect modules to a hub: the Azure IoT
 * device SDK adapter for edgeHub, and the in-process link of the local runtime.
 */
package io.edgeai4j.module.spi;
