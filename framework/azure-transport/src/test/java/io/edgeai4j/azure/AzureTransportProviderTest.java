package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which environments the provider accepts, and what it says about the ones it does not. No network. */
class AzureTransportProviderTest {
  final AzureTransportProvider provider = new AzureTransportProvider();

  @TempDir
  Path temp;

  static Map<String, String> runtimeEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("IOTEDGE_WORKLOADURI", "unix:///var/run/iotedge/workload.sock");
    env.put("IOTEDGE_DEVICEID", "edge-device");
    env.put("IOTEDGE_MODULEID", "filter");
    env.put("IOTEDGE_IOTHUBHOSTNAME", "test-hub.azure-devices.net");
    env.put("IOTEDGE_AUTHSCHEME", "sasToken");
    env.put("IOTEDGE_MODULEGENERATIONID", "638000000000000000");
    env.put("IOTEDGE_GATEWAYHOSTNAME", "edge-gateway");
    return env;
  }

  @Test
  void isFoundByServiceLoaderUnderItsName() {
    assertThat(ServiceLoader.load(ModuleTransportProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .collect(Collectors.toMap(ModuleTransportProvider::name, p -> p.getClass().getName())))
        .containsEntry("azure-iot-edge", AzureTransportProvider.class.getName());
  }

  @Test
  void emptyEnvironmentIsNotAnEdgeModule() {
    assertThat(provider.unavailableReason(Map.of()))
        .startsWith("Not an IoT Edge module environment")
        .contains("EdgeHubConnectionString", "EdgeModuleCACertificateFile", "IOTEDGE_WORKLOADURI",
            "IOTEDGE_GATEWAYHOSTNAME");
  }

  @Test
  void completeRuntimeEnvironmentIsAvailable() {
    assertThat(provider.unavailableReason(runtimeEnvironment())).isNull();
  }

  @Test
  void incompleteRuntimeEnvironmentNamesExactlyTheMissingVariables() {
    Map<String, String> env = runtimeEnvironment();
    env.remove("IOTEDGE_MODULEGENERATIONID");
    env.put("IOTEDGE_GATEWAYHOSTNAME", " ");

    assertThat(provider.unavailableReason(env))
        .isEqualTo("IoT Edge runtime environment is incomplete: missing IOTEDGE_MODULEGENERATIONID,"
            + " IOTEDGE_GATEWAYHOSTNAME");
  }

  @Test
  void onlySasTokenAuthenticationIsSupported() {
    Map<String, String> env = runtimeEnvironment();
    env.put("IOTEDGE_AUTHSCHEME", "x509");

    assertThat(provider.unavailableReason(env)).contains("IOTEDGE_AUTHSCHEME is 'x509'").contains("sasToken");
  }

  @Test
  void workloadUriMustBeUnixOrHttp() {
    Map<String, String> env = runtimeEnvironment();
    env.put("IOTEDGE_WORKLOADURI", "ftp://edge/workload");

    assertThat(provider.unavailableReason(env)).contains("IOTEDGE_WORKLOADURI is 'ftp://edge/workload'");
  }

  @Test
  void iotHubConnectionStringWouldBypassEdgeHub() {
    Map<String, String> env = runtimeEnvironment();
    env.put("IotHubConnectionString", "HostName=h;DeviceId=d;SharedAccessKey=a2V5");

    assertThat(provider.unavailableReason(env)).startsWith("IotHubConnectionString is set").contains("unset it");
  }

  @Test
  void connectionStringNeedsTheCaFile() {
    assertThat(provider.unavailableReason(Map.of("EdgeHubConnectionString", AzureModuleTransportTest.connectionString())))
        .startsWith("EdgeHubConnectionString is set but EdgeModuleCACertificateFile is missing");
    String missing = temp.resolve("absent.pem").toString();
    assertThat(provider.unavailableReason(Map.of(
        "EdgeHubConnectionString", AzureModuleTransportTest.connectionString(),
        "EdgeModuleCACertificateFile", missing)))
        .isEqualTo("EdgeModuleCACertificateFile names " + missing + ", which does not exist or is not a file");
  }

  @Test
  void connectionStringWithCaFileCreatesAnUnopenedTransport() throws Exception {
    Path caFile = TestPki.create().writeCaPem(temp);
    Map<String, String> env = Map.of(
        "EdgeHubConnectionString", AzureModuleTransportTest.connectionString(),
        "EdgeModuleCACertificateFile", caFile.toString());
    assertThat(provider.unavailableReason(env)).isNull();

    ModuleTransport transport = provider.create(env);

    assertThat(transport).isInstanceOf(AzureModuleTransport.class);
    assertThat(transport.identity()).isEqualTo(new ModuleIdentity("edge-device", "filter"));
    assertThatThrownBy(() -> transport.getTwin()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not open");
    transport.close();
    transport.close();
  }

  @Test
  void createRefusesWhatUnavailableReasonRefuses() {
    assertThatThrownBy(() -> provider.create(Map.of()))
        .isInstanceOf(TransportException.class)
        .hasMessage(provider.unavailableReason(Map.of()))
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());
  }

  @Test
  void caFileThatIsNotPemIsRefused() throws Exception {
    Path garbage = Files.writeString(temp.resolve("garbage.pem"), "not a certificate");

    assertThatThrownBy(() -> provider.create(Map.of(
        "EdgeHubConnectionString", AzureModuleTransportTest.connectionString(),
        "EdgeModuleCACertificateFile", garbage.toString())))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining(garbage.toString())
        .hasMessageContaining("not a usable PEM certificate");
  }

  @Test
  void connectionStringWithoutModuleIdIsRefused() throws Exception {
    Path caFile = TestPki.create().writeCaPem(temp);

    assertThatThrownBy(() -> provider.create(Map.of(
        "EdgeHubConnectionString", "HostName=h.azure-devices.net;GatewayHostName=127.0.0.1;DeviceId=d;SharedAccessKey=a2V5",
        "EdgeModuleCACertificateFile", caFile.toString())))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("Module connection string is not usable")
        .hasMessageContaining("ModuleId")
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());
  }

  @Test
  void runtimeEnvironmentMustBeThisProcesss() {
    // The SDK's createFromEnvironment reads System.getenv(), which in this test JVM has no IOTEDGE_* variables.
    assertThatThrownBy(() -> provider.create(runtimeEnvironment()))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("reads this process's environment")
        .hasMessageContaining("IOTEDGE_WORKLOADURI");
  }
}
