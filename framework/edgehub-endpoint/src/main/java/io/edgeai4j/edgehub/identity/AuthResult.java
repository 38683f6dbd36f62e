package io.edgeai4j.edgehub.identity;

import io.edgeai4j.module.ModuleIdentity;
import java.time.Instant;

/** The outcome of {@link ConnectAuthenticator#authenticate}. */
public sealed interface AuthResult {
  /** The client is the module {@code identity}; its token is valid until {@code tokenExpiry}. */
  record Accepted(ModuleIdentity identity, Instant tokenExpiry) implements AuthResult {}

  /**
   * reason maps to CONNACK: BAD_USERNAME_OR_PASSWORD (0x04), NOT_AUTHORIZED (0x05), IDENTIFIER_REJECTED (0x02);
   * message names what was found and what was expected (never the key or the signature).
   */
  record Refused(RefusalReason reason, String message) implements AuthResult {}
}
