package io.edgeai4j.edgehub.identity;

import io.edgeai4j.edgehub.identity.AuthResult.Accepted;
import io.edgeai4j.edgehub.identity.AuthResult.Refused;
import io.edgeai4j.module.ModuleIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an MQTT CONNECT as edgeHub does (client id, username, SAS password); thread-safe (immutable).
 *
 * <p>In order: the username {@code {hub}/{deviceId}/{moduleId}/?api-version=...[&DeviceClientType=...]} (also
 * without {@code ?}, as edgeHub's {@code MqttUsernameParser} accepts; {@code api-version} required); the client id,
 * which must be {@code {deviceId}/{moduleId}} of the username; the device, which must be this device; the module,
 * which must have a key; the password, a SAS token whose audience (URL-decoded) is
 * {@code {host}/devices/{deviceId}/modules/{moduleId}} with host the IoT hub host name or a gateway host name (as
 * edgeHub's {@code DeviceScopeTokenAuthenticator.ValidateAudience}), whose HMAC-SHA256 with the module's key
 * verifies (compared in constant time) and whose expiry {@code se} is after now. Refusal messages name what was
 * found and what was expected, never a key or a signature.
 */
public final class ConnectAuthenticator {
  private final ModuleKeys keys;
  private final String iotHubHostName;
  private final Set<String> gatewayHostNames;
  private final Clock clock;

  /**
   * @param keys the module keys; their device id is the only one accepted
   * @param iotHubHostName the IoT hub host name, an accepted audience host
   * @param gatewayHostNames the edge's host names, also accepted as audience hosts
   * @param clock decides whether a token has expired
   */
  public ConnectAuthenticator(ModuleKeys keys, String iotHubHostName, Set<String> gatewayHostNames, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.iotHubHostName = Objects.requireNonNull(iotHubHostName, "iotHubHostName");
    this.gatewayHostNames = Set.copyOf(Objects.requireNonNull(gatewayHostNames, "gatewayHostNames"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Decides on one CONNECT; never throws for bad input (nulls included). */
  public AuthResult authenticate(String clientId, String username, byte[] password) {
    MqttUsername user;
    try {
      user = MqttUsername.parse(username);
    } catch (IllegalArgumentException e) {
      return new Refused(RefusalReason.BAD_USERNAME_OR_PASSWORD, e.getMessage());
    }
    String expectedClientId = user.deviceId() + (user.moduleId() == null ? "" : "/" + user.moduleId());
    if (!expectedClientId.equals(clientId)) {
      return new Refused(RefusalReason.IDENTIFIER_REJECTED, "Client id " + quote(clientId)
          + " does not match the username's identity; expected '" + expectedClientId + "' ({deviceId}/{moduleId})");
    }
    if (!user.deviceId().equals(keys.deviceId())) {
      return new Refused(RefusalReason.NOT_AUTHORIZED, "Device '" + user.deviceId()
          + "' is not this edge device; expected '" + keys.deviceId() + "'");
    }
    if (user.moduleId() == null) {
      return new Refused(RefusalReason.NOT_AUTHORIZED, "Client '" + clientId
          + "' is a device identity; this edge serves modules only: expected {deviceId}/{moduleId} with one of "
          + keys.moduleIds());
    }
    if (!keys.moduleIds().contains(user.moduleId())) {
      return new Refused(RefusalReason.NOT_AUTHORIZED, "Module '" + user.moduleId() + "' of device '"
          + user.deviceId() + "' is unknown; expected one of the known modules " + keys.moduleIds());
    }
    return checkToken(new ModuleIdentity(user.deviceId(), user.moduleId()), password);
  }

  private AuthResult checkToken(ModuleIdentity identity, byte[] password) {
    SasToken token;
    try {
      token = SasToken.parse(password == null ? null : new String(password, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return new Refused(RefusalReason.BAD_USERNAME_OR_PASSWORD, "Password of '" + identity + "': " + e.getMessage());
    }
    String expectedPath = "/devices/" + identity.deviceId() + "/modules/" + identity.moduleId();
    String audience = token.audience();
    int slash = audience.indexOf('/');
    String host = slash < 0 ? audience : audience.substring(0, slash);
    String path = slash < 0 ? "" : audience.substring(slash);
    if (!path.equals(expectedPath) || !hostAccepted(host)) {
      return new Refused(RefusalReason.NOT_AUTHORIZED, "SAS token of '" + identity + "' is for audience '" + audience
          + "'; expected '{host}" + expectedPath + "' with host " + acceptedHosts());
    }
    byte[] expected = SasTokens.hmac(keys.key(identity.moduleId()), token.signedData());
    byte[] given;
    try {
      given = Base64.getDecoder().decode(token.signature());
    } catch (IllegalArgumentException e) {
      given = new byte[0];
    }
    if (!MessageDigest.isEqual(expected, given)) {
      return new Refused(RefusalReason.BAD_USERNAME_OR_PASSWORD, "SAS token of '" + identity
          + "' is not signed with the module's key; expected a token made from the module's SharedAccessKey");
    }
    Instant now = clock.instant();
    if (token.expiry().getEpochSecond() <= now.getEpochSecond()) {
      return new Refused(RefusalReason.NOT_AUTHORIZED, "SAS token of '" + identity + "' expired at "
          + token.expiry() + " (se=" + token.expiry().getEpochSecond() + "); it is now " + now
          + ": expected se after now");
    }
    return new Accepted(identity, token.expiry());
  }

  private boolean hostAccepted(String host) {
    if (host.equalsIgnoreCase(iotHubHostName)) {
      return true;
    }
    for (String gateway : gatewayHostNames) {
      if (host.equalsIgnoreCase(gateway)) {
        return true;
      }
    }
    return false;
  }

  private String acceptedHosts() {
    StringBuilder hosts = new StringBuilder("'").append(iotHubHostName).append('\'');
    gatewayHostNames.stream().sorted().filter(h -> !h.toLowerCase(Locale.ROOT).equals(
        iotHubHostName.toLowerCase(Locale.ROOT))).forEach(h -> hosts.append(" or '").append(h).append('\''));
    return hosts.toString();
  }

  private static String quote(String text) {
    return text == null ? "null" : "'" + text + "'";
  }
}
