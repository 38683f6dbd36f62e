package io.edgeai4j.ingestion.opcua;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;

/** The OPC UA security policies this source supports, spelled in the twin as OPC UA spells them. */
public enum SecurityPolicyName {
  /** No signing, no encryption, no certificates. */
  @JsonProperty("None")
  NONE(SecurityPolicy.None),
  /** RSA-2048 certificates with SHA-256 signatures and AES-256 encryption. */
  @JsonProperty("Basic256Sha256")
  BASIC256SHA256(SecurityPolicy.Basic256Sha256),
  /** RSA-2048 certificates, SHA-256 signatures, RSA-OAEP key transport and AES-128 encryption. */
  @JsonProperty("Aes128_Sha256_RsaOaep")
  AES128_SHA256_RSAOAEP(SecurityPolicy.Aes128_Sha256_RsaOaep),
  /** RSA-2048 certificates, RSA-PSS SHA-256 signatures, RSA-OAEP-SHA256 key transport and AES-256 encryption. */
  @JsonProperty("Aes256_Sha256_RsaPss")
  AES256_SHA256_RSAPSS(SecurityPolicy.Aes256_Sha256_RsaPss);

  /** The names the twin accepts, for error messages. */
  static final String ACCEPTED = "None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss";

  private final SecurityPolicy milo;

  SecurityPolicyName(SecurityPolicy milo) {
    this.milo = milo;
  }

  /** Milo's policy. */
  SecurityPolicy milo() {
    return milo;
  }

  /** The name as the twin and OPC UA spell it. */
  public String text() {
    return milo.name();
  }
}
