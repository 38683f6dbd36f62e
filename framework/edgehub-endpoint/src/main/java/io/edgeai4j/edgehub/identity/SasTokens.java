package io.edgeai4j.edgehub.identity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SAS tokens as IoT Hub and edgeHub define them; stateless. */
public final class SasTokens {
  /** The token's first word. */
  static final String PREFIX = "SharedAccessSignature ";

  private SasTokens() {
  }

  /**
   * Returns {@code SharedAccessSignature sr={urlenc audience}&sig={urlenc base64 HMAC-SHA256(key,
   * urlenc(audience)+"\n"+expiry)}&se={expiry}}, expiry in seconds since the epoch; URL-encoding is
   * {@link URLEncoder} with UTF-8, as the Azure IoT SDK does it on its workload path (its connection-string path
   * signs the audience with its {@code /} unencoded; {@link ConnectAuthenticator} accepts both, since the signature
   * is checked over {@code sr} as sent).
   */
  public static String create(byte[] key, String audience, Instant expiry) {
    Objects.requireNonNull(audience, "audience");
    String encodedAudience = urlEncode(audience);
    long se = expiry.getEpochSecond();
    String signature = hmacBase64(key, (encodedAudience + "\n" + se).getBytes(StandardCharsets.UTF_8));
    return PREFIX + "sr=" + encodedAudience + "&sig=" + urlEncode(signature) + "&se=" + se;
  }

  /** base64(HMAC-SHA256(key, data)), the workload API's sign operation. */
  public static String sign(byte[] key, byte[] data) {
    return hmacBase64(key, Objects.requireNonNull(data, "data"));
  }

  /** HMAC-SHA256 of the data with the raw key. */
  static byte[] hmac(byte[] key, byte[] data) {
    Objects.requireNonNull(key, "key");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static String hmacBase64(byte[] key, byte[] data) {
    return Base64.getEncoder().encodeToString(hmac(key, data));
  }

  private static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
