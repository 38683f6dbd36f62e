package io.edgeai4j.azure.edgehub;

import com.microsoft.azure.sdk.iot.device.hsm.HttpHsmSignatureProvider;
import io.edgeai4j.module.spi.TransportException;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SAS tokens for a module, as the SDK 2.5.0 makes them: audience {@code {hub}/devices/{d}/modules/{m}}
 * URL-encoded, string to sign {@code audience + "\n" + expiry}, HMAC-SHA256, signature URL-encoded. Stateless.
 */
final class SasTokens {
  /** The workload API version the SDK and edgelet speak. */
  static final String WORKLOAD_API_VERSION = "2018-06-28";

  private SasTokens() {}

  /** Returns the URL-encoded audience of a module's tokens. */
  static String audience(String hubHostName, String deviceId, String moduleId) {
    return URLEncoder.encode(hubHostName + "/devices/" + deviceId + "/modules/" + moduleId, StandardCharsets.UTF_8);
  }

  /** Signs with the module's own key (the connection string's {@code SharedAccessKey}). */
  static SasTokenSource fromKey(String audience, byte[] key) {
    byte[] secret = key.clone();
    return expiry -> {
      long se = expiry.getEpochSecond();
      return token(audience, hmac(secret, audience + "\n" + se), se);
    };
  }

  /** Signs through the IoT Edge workload API ({@code POST /modules/{m}/genid/{g}/sign}). */
  static SasTokenSource fromWorkloadApi(String audience, HttpHsmSignatureProvider signer, String moduleId,
      String generationId, String workloadUri) {
    return expiry -> {
      long se = expiry.getEpochSecond();
      String signature;
      try {
        // The SDK's provider returns the digest already URL-encoded.
        signature = signer.sign(moduleId, audience + "\n" + se, generationId);
      } catch (com.microsoft.azure.sdk.iot.device.transport.TransportException e) {
        throw new TransportException("The workload API at " + workloadUri + " did not sign the SAS token of module '"
            + moduleId + "': " + e.getMessage(), true, e);
      } catch (UnsupportedEncodingException | RuntimeException e) {
        throw new TransportException("The workload API at " + workloadUri + " did not sign the SAS token of module '"
            + moduleId + "': " + e, false, e);
      }
      if (signature == null || signature.isEmpty()) {
        throw new TransportException("The workload API at " + workloadUri + " answered the signing request of module '"
            + moduleId + "' without a digest", true, null);
      }
      return "SharedAccessSignature sr=" + audience + "&sig=" + signature + "&se=" + se;
    };
  }

  private static String token(String audience, String base64Signature, long expirySeconds) {
    return "SharedAccessSignature sr=" + audience + "&sig="
        + URLEncoder.encode(base64Signature, StandardCharsets.UTF_8) + "&se=" + expirySeconds;
  }

  static String hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
