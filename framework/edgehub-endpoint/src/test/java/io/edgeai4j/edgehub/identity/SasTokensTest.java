package io.edgeai4j.edgehub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.auth.IotHubSasToken;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SasTokensTest {
  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 7 + 3);
    }
  }

  @Test
  void signIsTheSignatureTheSdkPutsInATokenMadeFromAConnectionString() {
    long expiry = 1_700_000_000L;
    // What the SDK's IotHubSasTokenSoftwareAuthenticationProvider makes from SharedAccessKey.
    String sdkToken = new IotHubSasToken("hub.example", "edge-1", Base64.getEncoder().encodeToString(KEY), null,
        "sensor", expiry).toString();

    String digest = SasTokens.sign(KEY, ("hub.example/devices/edge-1/modules/sensor\n" + expiry)
        .getBytes(StandardCharsets.UTF_8));

    assertThat(sdkToken).isEqualTo("SharedAccessSignature sig=" + URLEncoder.encode(digest, StandardCharsets.UTF_8)
        + "&se=" + expiry + "&sr=hub.example/devices/edge-1/modules/sensor");
    assertThat(Base64.getDecoder().decode(digest)).hasSize(32);
  }

  @Test
  void signOfAKnownVector() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    String digest = SasTokens.sign("Jefe".getBytes(StandardCharsets.US_ASCII),
        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
    assertThat(Base64.getDecoder().decode(digest)).isEqualTo(java.util.HexFormat.of()
        .parseHex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
  }

  @ParameterizedTest
  @CsvSource({
      "localhost/devices/edge-1/modules/sensor, 1700000000",
      "my-hub.azure-devices.net/devices/edge 1/modules/a+b, 4102444800",
  })
  void createWritesTheUrlEncodedAudienceTheSignatureOfItAndTheExpiry(String audience, long expiry) {
    String token = SasTokens.create(KEY, audience, Instant.ofEpochSecond(expiry));

    String encodedAudience = URLEncoder.encode(audience, StandardCharsets.UTF_8);
    String signature = SasTokens.sign(KEY, (encodedAudience + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
    // The SDK's own builder of the workload path, given the audience as that path encodes it.
    assertThat(token).isEqualTo(IotHubSasToken.buildSharedAccessToken(encodedAudience,
        URLEncoder.encode(signature, StandardCharsets.UTF_8), expiry));
    assertThat(token).startsWith("SharedAccessSignature sr=" + encodedAudience + "&sig=")
        .endsWith("&se=" + expiry).doesNotContain("/").doesNotContain(" edge");
  }

  @Test
  void aTokenItCreatesIsOneTheAuthenticatorAccepts() {
    SasToken parsed = SasToken.parse(SasTokens.create(KEY, "h/devices/d/modules/m", Instant.ofEpochSecond(42)));

    assertThat(parsed.audience()).isEqualTo("h/devices/d/modules/m");
    assertThat(parsed.expiry()).isEqualTo(Instant.ofEpochSecond(42));
    assertThat(Base64.getDecoder().decode(parsed.signature())).isEqualTo(SasTokens.hmac(KEY, parsed.signedData()));
    assertThat(parsed.toString()).doesNotContain(parsed.signature());
  }
}
