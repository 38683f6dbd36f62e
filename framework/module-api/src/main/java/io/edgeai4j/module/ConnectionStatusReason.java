package io.edgeai4j.module;

/** Why the link to the hub changed, in the Azure IoT device SDK's terms. */
public enum ConnectionStatusReason {
  /** Connected. */
  CONNECTION_OK,
  /** The SAS token expired; over MQTT edgeHub drops the connection and the client reconnects with a new one. */
  EXPIRED_SAS_TOKEN,
  /** The hub refused the credentials. */
  BAD_CREDENTIAL,
  /** The client stopped retrying. */
  RETRY_EXPIRED,
  /** The network is unreachable. */
  NO_NETWORK,
  /** The connection failed for another reason. */
  COMMUNICATION_ERROR,
  /** The client was closed by its owner. */
  CLIENT_CLOSE
}
