package io.edgeai4j.edgehub.identity;

import java.time.Instant;

/** SAS tokens as IoT Hub and edgeHub define them; stateless. */
public final class SasTokens {
  private SasTokens() {
  }

  /**
   * "SharedAccessSignature sr={urlenc audience}&amp;sig={urlenc base64 HMAC-SHA256(key, urlenc(audience)+"\n"+expiry)}
   * &amp;se={expiry}".
   */
  public static String create(byte[] key, String audience, Instant expiry) {
    throw new UnsupportedOperationException("not yet");
  }

  /** base64(HMAC-SHA256(key, data)), the workload API's sign operation. */
  public static String sign(byte[] key, byte[] data) {
    throw new UnsupportedOperationException("not yet");
  }
}
