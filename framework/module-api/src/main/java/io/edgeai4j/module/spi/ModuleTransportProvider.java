package io.edgeai4j.module.spi;

import java.util.Map;

/**
 * Creates transports from a module's environment. Listed in
 * {@code META-INF/services/io.edgeai4j.module.spi.ModuleTransportProvider}. Providers load no native code
 * and open no connection until {@link #create(Map)}.
 *
 * <p>{@code EdgeModuleMain} uses the provider named by {@code EDGEAI4J_TRANSPORT}, or else, of those available
 * in the environment, the one with the highest {@link #priority()}; a tie at the top is an error that lists
 * them.
 */
public interface ModuleTransportProvider {
  /** Returns the provider's name, e.g. {@code azure-iot-edge}. */
  String name();

  /**
   * Returns how much this provider is preferred when {@code EDGEAI4J_TRANSPORT} names none: of the available
   * providers, the highest wins. Default 0.
   *
   * @return The priority; any int.
   */
  default int priority() {
    return 0;
  }

  /**
   * Says whether this provider can create a transport from this environment, and if not, why.
   *
   * @param environment The process environment.
   * @return Null when available, or the reason it is not (e.g. which variables are missing).
   */
  String unavailableReason(Map<String, String> environment);

  /**
   * Creates a transport; it is not connected until {@link ModuleTransport#open}.
   *
   * @param environment The process environment.
   * @return A new transport, owned by the caller.
   * @throws TransportException If the environment names a hub that cannot be used.
   */
  ModuleTransport create(Map<String, String> environment) throws TransportException;
}
