package io.edgeai4j.ingestion.opcua;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/** The OPC UA message security modes, spelled in the twin as OPC UA spells them. */
public enum SecurityModeName {
  /** Messages neither signed nor encrypted; only with security policy None. */
  @JsonProperty("None")
  NONE(MessageSecurityMode.None),
  /** Messages signed. */
  @JsonProperty("Sign")
  SIGN(MessageSecurityMode.Sign),
  /** Messages signed and encrypted. */
  @JsonProperty("SignAndEncrypt")
  SIGN_AND_ENCRYPT(MessageSecurityMode.SignAndEncrypt);

  private final MessageSecurityMode milo;

  SecurityModeName(MessageSecurityMode milo) {
    this.milo = milo;
  }

  /** Milo's mode. */
  MessageSecurityMode milo() {
    return milo;
  }

  /** The name as the twin and OPC UA spell it. */
  public String text() {
    return milo.name();
  }
}
