/**
 * The pure-Java API for writing an IoT Edge module: {@link io.edgeai4j.module.EdgeModule} is what a
 * user implements, {@link io.edgeai4j.module.ModuleContext} is what the module talks to, and
 * {@link io.edgeai4j.module.EdgeMessage} is what flows between modules. Nothing here depends on the
 * Azure SDK or on native code; transports plug in through {@link io.edgeai4j.module.spi}.
 */
package io.edgeai4j.module;
