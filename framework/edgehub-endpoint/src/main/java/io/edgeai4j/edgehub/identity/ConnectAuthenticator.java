package io.edgeai4j.edgehub.identity;

import java.time.Clock;
import java.util.Set;

/** Checks an MQTT CONNECT as edgeHub does (client id, username, SAS password); thread-safe. */
public final class ConnectAuthenticator {
  public ConnectAuthenticator(ModuleKeys keys, String iotHubHostName, Set<String> gatewayHostNames, Clock clock) {
  }

  public AuthResult authenticate(String clientId, String username, byte[] password) {
    throw new UnsupportedOperationException("not yet");
  }
}
