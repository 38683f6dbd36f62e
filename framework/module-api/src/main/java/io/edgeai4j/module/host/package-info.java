/**
 * Runs modules: {@link io.edgeai4j.module.host.ModuleHost} runs one
 * {@link io.edgeai4j.module.EdgeModule} on one {@link io.edgeai4j.module.spi.ModuleTransport} (lifecycle,
 * ordered input dispatch, direct methods, desired-property binding, graceful stop), and
 * {@link io.edgeai4j.module.host.EdgeModuleMain} is the container entry point that picks a transport, serves
 * metrics and health, and turns SIGTERM into a graceful stop.
 */
package io.edgeai4j.module.host;
