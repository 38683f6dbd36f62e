package io.edgeai4j.edgehub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.auth.IotHubSasTokenSoftwareAuthenticationProvider;
import com.microsoft.azure.sdk.iot.device.transport.TransportUtils;
import io.edgeai4j.edgehub.identity.AuthResult.Accepted;
import io.edgeai4j.edgehub.identity.AuthResult.Refused;
import io.edgeai4j.module.ModuleIdentity;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectAuthenticatorTest {
  private static final String HUB = "hub.example";
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final String USER = HUB + "/edge-1/sensor/?api-version=2020-09-30&DeviceClientType=test";

  @TempDir
  Path dir;

  private ModuleKeys keys;
  private ConnectAuthenticator authenticator;

  @BeforeEach
  void keys() throws IOException {
    keys = ModuleKeys.open(dir.resolve("module-keys.json"), "edge-1", List.of("sensor", "filter"));
    authenticator = new ConnectAuthenticator(keys, HUB, Set.of("localhost", "edge-gw"),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Tokens a client may present, each made for the module named in the username unless said otherwise. */
  enum Token {
    VALID, OTHER_KEY, EXPIRED, EXPIRES_NOW, FILTERS_TOKEN, OTHER_HOST, OTHER_DEVICE, NOT_SAS, NO_SE, SE_NOT_NUMBER,
    SIG_NOT_BASE64, EMPTY, NONE
  }

  private byte[] token(Token kind, String moduleId) {
    String audience = HUB + "/devices/edge-1/modules/" + moduleId;
    Instant expiry = NOW.plus(Duration.ofHours(1));
    byte[] key = keys.moduleIds().contains(moduleId) ? keys.key(moduleId) : new byte[32];
    String token = switch (kind) {
      case VALID -> SasTokens.create(key, audience, expiry);
      case OTHER_KEY -> SasTokens.create(new byte[32], audience, expiry);
      case EXPIRED -> SasTokens.create(key, audience, NOW.minusSeconds(1));
      case EXPIRES_NOW -> SasTokens.create(key, audience, NOW);
      case FILTERS_TOKEN -> SasTokens.create(keys.key("filter"), HUB + "/devices/edge-1/modules/filter", expiry);
      case OTHER_HOST -> SasTokens.create(key, "evil.example/devices/edge-1/modules/" + moduleId, expiry);
      case OTHER_DEVICE -> SasTokens.create(key, HUB + "/devices/edge-2/modules/" + moduleId, expiry);
      case NOT_SAS -> "Bearer abc";
      case NO_SE -> SasTokens.create(key, audience, expiry).replaceAll("&se=\\d+", "");
      case SE_NOT_NUMBER -> SasTokens.create(key, audience, expiry).replaceAll("&se=\\d+", "&se=soon");
      case SIG_NOT_BASE64 -> SasTokens.create(key, audience, expiry).replaceAll("&sig=[^&]+", "&sig=%21%21");
      case EMPTY -> "";
      case NONE -> null;
    };
    return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2}: {3}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      // client id does not match the username
      "edge-1/filter | " + USER + " | VALID | IDENTIFIER_REJECTED | Client id 'edge-1/filter' does not match the"
          + " username's identity; expected 'edge-1/sensor'",
      "sensor        | " + USER + " | VALID | IDENTIFIER_REJECTED | expected 'edge-1/sensor' ({deviceId}/{moduleId})",
      "null          | " + USER + " | VALID | IDENTIFIER_REJECTED | Client id null does not match",
      // username
      "edge-1/sensor | hub.example/edge-1/sensor/?DeviceClientType=test | VALID | BAD_USERNAME_OR_PASSWORD"
          + " | has no api-version; expected {hub}/{deviceId}/{moduleId}/?api-version=...",
      "edge-1/sensor | hub.example/edge-1/sensor | VALID | BAD_USERNAME_OR_PASSWORD | has no api-version",
      "edge-1/sensor | hub.example/edge-1/sensor/?api-version= | VALID | BAD_USERNAME_OR_PASSWORD | has no api-version",
      "edge-1/sensor | hub.example/?api-version=1 | VALID | BAD_USERNAME_OR_PASSWORD"
          + " | does not name {hub}/{deviceId}[/{moduleId}]",
      "edge-1/sensor | a/edge-1/sensor/x/?api-version=1 | VALID | BAD_USERNAME_OR_PASSWORD | does not name",
      "edge-1/sensor | hub.example//sensor/?api-version=1 | VALID | BAD_USERNAME_OR_PASSWORD | does not name",
      "edge-1/sensor | hub.example/edge-1/sensor/?api-version=%zz | VALID | BAD_USERNAME_OR_PASSWORD"
          + " | not URL-encoded",
      "edge-1/sensor | null | VALID | BAD_USERNAME_OR_PASSWORD | No username; expected",
      // identities this edge does not serve
      "edge-2/sensor | hub.example/edge-2/sensor/?api-version=1 | VALID | NOT_AUTHORIZED"
          + " | Device 'edge-2' is not this edge device; expected 'edge-1'",
      "edge-1        | hub.example/edge-1/?api-version=1 | VALID | NOT_AUTHORIZED"
          + " | is a device identity; this edge serves modules only: expected {deviceId}/{moduleId} with one of"
          + " [filter, sensor]",
      "edge-1/camera | hub.example/edge-1/camera/?api-version=1 | VALID | NOT_AUTHORIZED"
          + " | Module 'camera' of device 'edge-1' is unknown; expected one of the known modules [filter, sensor]",
      // the password
      "edge-1/sensor | " + USER + " | OTHER_KEY | BAD_USERNAME_OR_PASSWORD"
          + " | SAS token of 'edge-1/sensor' is not signed with the module's key",
      "edge-1/sensor | " + USER + " | SIG_NOT_BASE64 | BAD_USERNAME_OR_PASSWORD | is not signed with the module's key",
      "edge-1/sensor | " + USER + " | FILTERS_TOKEN | NOT_AUTHORIZED | SAS token of 'edge-1/sensor' is for audience"
          + " 'hub.example/devices/edge-1/modules/filter'; expected '{host}/devices/edge-1/modules/sensor'",
      "edge-1/sensor | " + USER + " | OTHER_HOST | NOT_AUTHORIZED | for audience 'evil.example/devices/edge-1/"
          + "modules/sensor'; expected '{host}/devices/edge-1/modules/sensor' with host 'hub.example' or 'edge-gw'"
          + " or 'localhost'",
      "edge-1/sensor | " + USER + " | OTHER_DEVICE | NOT_AUTHORIZED | for audience 'hub.example/devices/edge-2/",
      "edge-1/sensor | " + USER + " | EXPIRED | NOT_AUTHORIZED | SAS token of 'edge-1/sensor' expired at"
          + " 2026-12-07T11:59:59Z (se=1796644799); it is now 2026-12-07T12:00:00Z",
      "edge-1/sensor | " + USER + " | EXPIRES_NOW | NOT_AUTHORIZED | expired at 2026-12-07T12:00:00Z",
      "edge-1/sensor | " + USER + " | NOT_SAS | BAD_USERNAME_OR_PASSWORD"
          + " | Password of 'edge-1/sensor': not a SAS token (it does not start with 'SharedAccessSignature ')",
      "edge-1/sensor | " + USER + " | NO_SE | BAD_USERNAME_OR_PASSWORD | SAS token lacks [se]; expected"
          + " 'SharedAccessSignature sr={audience}&sig={signature}&se={expiry}'",
      "edge-1/sensor | " + USER + " | SE_NOT_NUMBER | BAD_USERNAME_OR_PASSWORD"
          + " | SAS token's se 'soon' is not seconds since the epoch",
      "edge-1/sensor | " + USER + " | EMPTY | BAD_USERNAME_OR_PASSWORD | no password; expected a SAS token",
      "edge-1/sensor | " + USER + " | NONE | BAD_USERNAME_OR_PASSWORD | no password; expected a SAS token",
  })
  void refusesWithTheReasonAndAMessageNamingWhatWasFoundAndExpected(String clientId, String username, Token token,
      RefusalReason reason, String message) {
    String moduleId = username == null ? "sensor" : username.split("/").length > 2
        ? username.split("/")[2] : "sensor";
    byte[] password = token(token, moduleId);

    AuthResult result = authenticator.authenticate(clientId, username, password);

    assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
      assertThat(refused.reason()).isEqualTo(reason);
      assertThat(refused.message()).contains(message);
      for (String module : keys.moduleIds()) {
        assertThat(refused.message()).doesNotContain(keys.keyBase64(module));
      }
      if (password != null && password.length > 0 && token != Token.NOT_SAS) {
        String sig = new String(password, StandardCharsets.UTF_8).replaceAll(".*sig=([^&]+).*", "$1");
        assertThat(refused.message()).doesNotContain(sig).doesNotContain(URLDecoder.decode(sig,
            StandardCharsets.UTF_8));
      }
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      HUB + "/edge-1/sensor/?api-version=2020-09-30&DeviceClientType=test | " + HUB,
      HUB + "/edge-1/sensor/api-version=2020-09-30&DeviceClientType=test  | " + HUB,
      HUB + "/edge-1/sensor/?api-version=2017-06-30                       | localhost",
      "anything/edge-1/sensor/?api-version=2020-09-30                      | edge-gw",
      HUB + "/edge-1/sensor/?api-version=2020-09-30                       | EDGE-GW",
  })
  void acceptsTheUsernameFormsEdgeHubAcceptsAndAnAudienceOnTheHubOrAGatewayHost(String username, String host) {
    Instant expiry = NOW.plusSeconds(60);
    byte[] password = SasTokens.create(keys.key("sensor"), host + "/devices/edge-1/modules/sensor", expiry)
        .getBytes(StandardCharsets.UTF_8);

    assertThat(authenticator.authenticate("edge-1/sensor", username, password))
        .isEqualTo(new Accepted(new ModuleIdentity("edge-1", "sensor"), expiry));
  }

  @Test
  void acceptsATokenWithItsFieldsInAnotherOrderAndAnSknField() {
    String token = SasTokens.create(keys.key("filter"), HUB + "/devices/edge-1/modules/filter",
        NOW.plusSeconds(10));
    String[] fields = token.substring("SharedAccessSignature ".length()).split("&");
    String reordered = "SharedAccessSignature " + fields[2] + "&skn=ignored&" + fields[1] + "&" + fields[0];

    assertThat(authenticator.authenticate("edge-1/filter", HUB + "/edge-1/filter/?api-version=1",
        reordered.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Accepted.class);
  }

  @Test
  void acceptsTheTokenAndUsernameTheRealSdkMakesFromAModuleConnectionString() {
    // As ModuleClient does with EdgeHubConnectionString: IotHubSasTokenSoftwareAuthenticationProvider(hostName,
    // gatewayHostName, deviceId, moduleId, sharedAccessKey, sharedAccessToken).
    IotHubSasTokenSoftwareAuthenticationProvider sdk = new IotHubSasTokenSoftwareAuthenticationProvider(HUB,
        "localhost", "edge-1", "sensor", keys.keyBase64("sensor"), null);
    String token = new String(sdk.getSasToken());
    // MqttIotHubConnection's username: the user agent URL-encoded with "+" as "%20".
    String username = HUB + "/edge-1/sensor/?api-version=" + TransportUtils.IOTHUB_API_VERSION + "&DeviceClientType="
        + URLEncoder.encode(TransportUtils.USER_AGENT_STRING, StandardCharsets.UTF_8).replaceAll("\\+", "%20");
    Instant now = Instant.now();
    ConnectAuthenticator realTime = new ConnectAuthenticator(keys, HUB, Set.of("localhost"), Clock.systemUTC());

    AuthResult result = realTime.authenticate("edge-1/sensor", username, token.getBytes(StandardCharsets.UTF_8));

    assertThat(token).startsWith("SharedAccessSignature sig=");
    assertThat(result).isInstanceOfSatisfying(Accepted.class, accepted -> {
      assertThat(accepted.identity()).isEqualTo(new ModuleIdentity("edge-1", "sensor"));
      // The SDK's default token lifetime is 3600 s.
      assertThat(accepted.tokenExpiry()).isBetween(now.plusSeconds(3500), now.plusSeconds(3700));
    });
    // The same token presented by another module, or checked with another key, is refused.
    assertThat(realTime.authenticate("edge-1/filter", HUB + "/edge-1/filter/?api-version=1",
        token.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Refused.class);
  }
}
