package io.edgeai4j.edgehub.identity;

/** Why a CONNECT was refused; each maps to an MQTT 3.1.1 CONNACK return code. */
public enum RefusalReason {
  /** 0x02: the client id is not {@code {deviceId}/{moduleId}} of the username. */
  IDENTIFIER_REJECTED,
  /** 0x04: the username or the SAS token cannot be parsed, or the signature does not verify. */
  BAD_USERNAME_OR_PASSWORD,
  /** 0x05: a well-formed identity this endpoint does not serve, or an expired token. */
  NOT_AUTHORIZED
}
