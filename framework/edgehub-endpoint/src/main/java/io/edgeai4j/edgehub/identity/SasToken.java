package io.edgeai4j.edgehub.identity;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed SAS token {@code SharedAccessSignature sr=..&sig=..&se=..} (fields in any order, {@code skn} and others
 * ignored, as edgeHub's {@code SharedAccessSignature.Parse} does). Parse errors never quote the token.
 *
 * @param encodedAudience {@code sr} as it appears in the token: what was signed
 * @param audience {@code sr} URL-decoded
 * @param signature {@code sig} URL-decoded: base64 of the HMAC
 * @param expirySeconds {@code se} as it appears in the token
 * @param expiry {@code se} as an instant
 */
record SasToken(String encodedAudience, String audience, String signature, String expirySeconds, Instant expiry) {
  static final String FORMAT = "'SharedAccessSignature sr={audience}&sig={signature}&se={expiry}'";

  /** {@code sr + "\n" + se}, the bytes the signature is the HMAC of. */
  byte[] signedData() {
    return (encodedAudience + "\n" + expirySeconds).getBytes(StandardCharsets.UTF_8);
  }

  /** Names the audience and expiry, not the signature. */
  @Override
  public String toString() {
    return "SasToken[audience=" + audience + ", expiry=" + expiry + "]";
  }

  static SasToken parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("no password; expected a SAS token " + FORMAT);
    }
    if (!text.startsWith(SasTokens.PREFIX)) {
      throw new IllegalArgumentException("not a SAS token (it does not start with 'SharedAccessSignature '); "
          + "expected " + FORMAT);
    }
    Map<String, String> fields = new HashMap<>();
    for (String field : text.substring(SasTokens.PREFIX.length()).split("&")) {
      int equals = field.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("SAS token has a field without a name and '='; expected " + FORMAT);
      }
      String name = field.substring(0, equals);
      if (fields.put(name, field.substring(equals + 1)) != null) {
        throw new IllegalArgumentException("SAS token has field '" + name + "' twice; expected " + FORMAT);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : List.of("sr", "sig", "se")) {
      if (fields.getOrDefault(name, "").isEmpty()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("SAS token lacks " + missing + "; expected " + FORMAT);
    }
    String se = fields.get("se");
    long seconds;
    try {
      seconds = Long.parseLong(se);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SAS token's se '" + se + "' is not seconds since the epoch; expected "
          + FORMAT, e);
    }
    if (seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
      throw new IllegalArgumentException("SAS token's se " + seconds + " is out of range; expected seconds since the "
          + "epoch");
    }
    String sr = fields.get("sr");
    try {
      return new SasToken(sr, URLDecoder.decode(sr, StandardCharsets.UTF_8),
          URLDecoder.decode(fields.get("sig"), StandardCharsets.UTF_8), se, Instant.ofEpochSecond(seconds));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SAS token's sr or sig is not URL-encoded; expected " + FORMAT, e);
    }
  }
}
