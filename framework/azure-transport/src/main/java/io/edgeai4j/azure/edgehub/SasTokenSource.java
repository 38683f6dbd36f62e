package io.edgeai4j.azure.edgehub;

import io.edgeai4j.module.spi.TransportException;
import java.time.Instant;

/** Makes the SAS tokens a module presents as its MQTT password. Implementations are thread-safe. */
@FunctionalInterface
interface SasTokenSource {
  /**
   * Returns {@code SharedAccessSignature sr={urlenc audience}&sig={urlenc signature}&se={expiry seconds}}.
   *
   * @param expiry When the token expires (whole seconds are used).
   * @throws TransportException If the signer (the workload API) cannot be reached or refuses; retryable when
   *     it may answer later.
   */
  String token(Instant expiry) throws TransportException;
}
