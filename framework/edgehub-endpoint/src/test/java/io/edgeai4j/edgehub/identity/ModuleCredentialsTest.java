package io.edgeai4j.edgehub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.IotHubConnectionString;
import com.microsoft.azure.sdk.iot.device.auth.IotHubSasTokenSoftwareAuthenticationProvider;
import io.edgeai4j.edgehub.identity.AuthResult.Accepted;
import io.edgeai4j.module.ModuleIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleCredentialsTest {
  @TempDir
  Path dir;

  @Test
  void theSdksConnectionStringParserReadsItBackWithGatewayHostNameAndModuleId() throws IOException {
    ModuleKeys keys = ModuleKeys.open(dir.resolve("module-keys.json"), "edge-1", List.of("sensor"));

    String connectionString = ModuleCredentials.connectionString("edgeai4j.local", "host.docker.internal", "edge-1",
        "sensor", keys.keyBase64("sensor"));

    assertThat(connectionString).isEqualTo("HostName=edgeai4j.local;GatewayHostName=host.docker.internal;DeviceId=edge-1;"
        + "ModuleId=sensor;SharedAccessKey=" + keys.keyBase64("sensor"));
    IotHubConnectionString parsed = new IotHubConnectionString(connectionString);
    assertThat(parsed.getHostName()).isEqualTo("edgeai4j.local");
    assertThat(parsed.getGatewayHostName()).isEqualTo("host.docker.internal");
    assertThat(parsed.getDeviceId()).isEqualTo("edge-1");
    assertThat(parsed.getModuleId()).isEqualTo("sensor");
    assertThat(parsed.getSharedAccessKey()).isEqualTo(keys.keyBase64("sensor"));
    assertThat(parsed.isUsingX509()).isFalse();
  }

  @Test
  void theTokenTheSdkMakesFromItIsAcceptedByTheAuthenticator() throws IOException {
    ModuleKeys keys = ModuleKeys.open(dir.resolve("module-keys.json"), "edge-1", List.of("sensor"));
    IotHubConnectionString parsed = new IotHubConnectionString(ModuleCredentials.connectionString("my-hub.local",
        "localhost", "edge-1", "sensor", keys.keyBase64("sensor")));
    String token = new String(new IotHubSasTokenSoftwareAuthenticationProvider(parsed.getHostName(),
        parsed.getGatewayHostName(), parsed.getDeviceId(), parsed.getModuleId(), parsed.getSharedAccessKey(), null)
        .getSasToken());

    AuthResult result = new ConnectAuthenticator(keys, "my-hub.local", Set.of("localhost"), Clock.systemUTC())
        .authenticate("edge-1/sensor", "my-hub.local/edge-1/sensor/?api-version=2020-09-30",
            token.getBytes(StandardCharsets.UTF_8));

    assertThat(result).isInstanceOfSatisfying(Accepted.class,
        accepted -> assertThat(accepted.identity()).isEqualTo(new ModuleIdentity("edge-1", "sensor")));
  }

  @Test
  void aHubHostNameWithoutADotIsRefusedBecauseTheSdkRefusesIt() {
    String localhost = "HostName=localhost;GatewayHostName=localhost;DeviceId=d;ModuleId=m;SharedAccessKey=a2V5";
    assertThatThrownBy(() -> new IotHubConnectionString(localhost)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[iotHubName].[valid URI chars]");

    assertThatThrownBy(() -> ModuleCredentials.connectionString("localhost", "localhost", "d", "m", "a2V5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("The IoT hub host name 'localhost' has no '.'; expected {hubName}.{domain}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''        | localhost | edge-1 | m   | HostName must be non-blank text without ';'; found ''",
      "hub.local | a;b       | edge-1 | m   | GatewayHostName must be non-blank text without ';'; found 'a;b'",
      "hub.local | localhost | ' '    | m   | DeviceId must be non-blank",
      "hub.local | localhost | edge-1 | ''  | ModuleId must be non-blank",
  })
  void aPartThatWouldBreakTheConnectionStringIsRefusedNamingIt(String hub, String gateway, String device,
      String module, String message) {
    assertThatThrownBy(() -> ModuleCredentials.connectionString(hub, gateway, device, module, "a2V5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
