package io.edgeai4j.ingestion.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and validating the {@code opcua} settings. */
class OpcUaSettingsTest {
  private static final String VALID = """
      {"endpoint": "opc.tcp://plc1:4840/ua", "securityPolicy": "None",
       "nodes": {"spindleSpeed": {"nodeId": "ns=2;s=Machine/SpindleSpeed"}}}""";

  private final OpcUaSourceProvider provider = new OpcUaSourceProvider();

  @Test
  void theProviderIsFoundByServiceLoaderUnderTypeOpcua() {
    assertThat(ServiceLoader.load(SensorSourceProvider.class)).extracting(SensorSourceProvider::type).contains("opcua");
  }

  @Test
  void defaultsApply() throws Exception {
    OpcUaSettings settings = parse(VALID);
    assertThat(settings.securityMode()).isEqualTo(SecurityModeName.NONE);
    assertThat(settings.publishingInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.keepAliveInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.trustServerCertificateOnFirstUse()).isFalse();
    assertThat(settings.username()).isNull();
    assertThat(settings.sensors()).containsExactly("spindleSpeed");
    NodeSettings node = settings.nodes().get("spindleSpeed");
    assertThat(node.nodeId()).isEqualTo(NodeId.parse("ns=2;s=Machine/SpindleSpeed"));
    assertThat(node.samplingInterval()).isEqualTo(Duration.ofSeconds(1));
    // Two publishing intervals of 1 s at 1 s sampling.
    assertThat(node.effectiveQueueSize(settings.publishingInterval())).isEqualTo(2);
    assertThat(settings.port()).isEqualTo(4840);
    assertThat(parse(VALID.replace("plc1:4840", "plc1")).port()).isEqualTo(4840);
  }

  @Test
  void everyFieldBindsAndBasic256Sha256DefaultsToSignAndEncrypt() throws Exception {
    Path trusted = Path.of("/var/lib/opcua/trusted").toAbsolutePath();
    String json = """
        {"endpoint": "opc.tcp://10.0.0.7:4841/press", "securityPolicy": "Basic256Sha256",
         "username": "operator", "password": "pw", "publishingIntervalMillis": 500,
         "trustedServerCertificates": "%s", "trustServerCertificateOnFirstUse": true,
         "reconnectMaxDelayMillis": 5000, "requestTimeoutMillis": 3000, "keepAliveIntervalMillis": 1000,
         "nodes": {"vibration": {"nodeId": "ns=3;i=1001", "samplingIntervalMillis": 50, "unit": "mm/s"},
                   "temperature": {"nodeId": "ns=3;s=T", "queueSize": 7}}}"""
        .formatted(trusted.toString().replace("\\", "\\\\"));
    OpcUaSettings settings = parse(json);
    assertThat(settings.securityMode()).isEqualTo(SecurityModeName.SIGN_AND_ENCRYPT);
    assertThat(settings.port()).isEqualTo(4841);
    assertThat(settings.trustedServerCertificates()).isEqualTo(trusted);
    assertThat(settings.sensors()).containsExactly("vibration", "temperature");
    NodeSettings vibration = settings.nodes().get("vibration");
    assertThat(vibration.samplingInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(vibration.unit()).isEqualTo("mm/s");
    // Two publishing intervals of 500 ms at 50 ms sampling.
    assertThat(vibration.effectiveQueueSize(settings.publishingInterval())).isEqualTo(20);
    assertThat(settings.nodes().get("temperature").effectiveQueueSize(settings.publishingInterval())).isEqualTo(7);
    assertThat(settings.toString()).doesNotContain("pw").contains("password=***");
    assertThat(settings).isEqualTo(parse(json)).hasSameHashCodeAs(parse(json));
  }

  /** Each row: a change to the valid settings (JSON merged at the top level), the path, a part of the reason. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"endpoint": null}                                  | endpoint                    | missing
      {"endpoint": "http://plc1:4840"}                    | endpoint                    | scheme http
      {"endpoint": "opc.tcp:///path"}                     | endpoint                    | names no host
      {"endpoint": "opc.tcp://plc 1:4840"}                | endpoint                    | not a URL
      {"endpoint": 4840}                                  | endpoint                    | "4840" has no scheme
      {"securityPolicy": null}                            | securityPolicy              | expected None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss
      {"securityPolicy": "Basic128Rsa15"}                 | securityPolicy              | Basic128Rsa15
      {"securityMode": "SignAndEncrypt"}                  | securityMode                | does not go with securityPolicy None
      {"securityPolicy": "Basic256Sha256", "securityMode": "None"} | securityMode       | expected Sign or SignAndEncrypt
      {"username": "operator"}                            | password                    | username and password go together
      {"password": "pw"}                                  | username                    | username and password go together
      {"username": " ", "password": "pw"}                 | username                    | blank
      {"publishingIntervalMillis": 0}                     | publishingIntervalMillis    | expected 10 to 3600000
      {"publishingIntervalMillis": "fast"}                | publishingIntervalMillis    | expected a whole number, found fast
      {"publishingIntervalMillis": "100"}                 | publishingIntervalMillis    | expected a whole number, found 100
      {"publishingIntervalMillis": 100.7}                 | publishingIntervalMillis    | expected a whole number, found 100.7
      {"trustServerCertificateOnFirstUse": "true"}        | trustServerCertificateOnFirstUse | expected true or false, found true
      {"nodes": {"speed": {"nodeId": "i=1", "queueSize": 2.5}}} | nodes.speed.queueSize | expected a whole number, found 2.5
      {"nodes": {"speed": {"nodeId": "i=1", "queueSize": 99999999999}}} | nodes.speed.queueSize | 99999999999 is out of range; expected 1 to 10000
      {"reconnectMaxDelayMillis": 10}                     | reconnectMaxDelayMillis     | expected 1000 to 600000
      {"requestTimeoutMillis": 999999999}                 | requestTimeoutMillis        | expected 1000 to 300000
      {"keepAliveIntervalMillis": 1}                      | keepAliveIntervalMillis     | expected 500 to 600000
      {"trustedServerCertificates": "relative/dir"}       | trustedServerCertificates   | is relative
      {"clientCertificateFile": "client.crt", "clientKeyFile": "/k.pem"} | clientCertificateFile | "client.crt" is relative
      {"clientCertificateFile": "/c.crt", "clientKeyFile": "k.pem"}      | clientKeyFile         | "k.pem" is relative
      {"clientKeyStoreFile": "c.p12"}                     | clientKeyStoreFile          | "c.p12" is relative
      {"clientCertificateFile": "/c.crt"}                 | clientKeyFile               | clientCertificateFile and clientKeyFile go together
      {"clientKeyFile": "/k.pem"}                         | clientCertificateFile       | clientCertificateFile and clientKeyFile go together
      {"clientCertificateFile": "/c.crt", "clientKeyFile": "/k.pem", "clientKeyStoreFile": "/c.p12"} | clientKeyStoreFile | either a PKCS#12 clientKeyStoreFile or the PEM pair
      {"clientKeyStorePassword": "pw"}                    | clientKeyStorePassword      | given without clientKeyStoreFile
      {"allowCredentialsWithoutEncryption": "true"}       | allowCredentialsWithoutEncryption | expected true or false, found true
      {"publishingInterval": 100}                         | publishingInterval          | Unrecognized field
      {"nodes": {}}                                       | nodes                       | missing or empty
      {"nodes": null}                                     | nodes                       | missing or empty
      {"nodes": {"spindle.speed": {"nodeId": "i=1"}}}     | nodes                       | contains '.'
      {"nodes": {"spindle speed": {"nodeId": "i=1"}}}     | nodes                       | contains ' '
      {"nodes": {"$speed": {"nodeId": "i=1"}}}            | nodes                       | contains '$'
      {"nodes": {"speed": {"nodeId": "ns=2;x=Nonsense"}}} | nodes.speed.nodeId          | "ns=2;x=Nonsense" is not an OPC UA node id
      {"nodes": {"speed": {"nodeId": 7}}}                 | nodes.speed.nodeId          | expected a node id as a string
      {"nodes": {"speed": {}}}                            | nodes.speed.nodeId          | missing
      {"nodes": {"speed": {"nodeId": "i=1", "samplingIntervalMillis": -1}}} | nodes.speed.samplingIntervalMillis | -1 is out of range
      {"nodes": {"speed": {"nodeId": "i=1", "queueSize": 0}}}   | nodes.speed.queueSize | expected 1 to 10000
      {"nodes": {"speed": {"nodeId": "i=1", "unit": ""}}}      | nodes.speed.unit      | blank
      {"nodes": {"speed": {"nodeId": "i=1", "scale": 2}}}      | nodes.speed.scale     | Unrecognized field
      """)
  void invalidSettingsNameThePathAndTheReason(String change, String path, String reason) throws Exception {
    ObjectNode settings = (ObjectNode) SettingsBinder.mapper().readTree(VALID);
    settings.setAll((ObjectNode) SettingsBinder.mapper().readTree(change));
    assertThatThrownBy(() -> provider.parse(settings))
        .isInstanceOfSatisfying(SourceConfigException.class, e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.reason()).contains(reason);
        });
  }

  /**
   * Each row: the security policy and mode, whether credentials are given, whether they are explicitly allowed
   * without encryption, and the outcome: "accepted" or the start of the securityPolicy error.
   */
  @ParameterizedTest(name = "{0}/{1}, credentials {2}, allowed without encryption {3}: {4}")
  @CsvSource(delimiter = '|', textBlock = """
      None                  | None           | true  | false | None with username "operator" would send the password without a secure channel
      None                  |                | true  | false | None with username "operator" would send the password without a secure channel
      None                  | None           | true  | true  | accepted
      None                  | None           | false | false | accepted
      Basic256Sha256        | SignAndEncrypt | true  | false | accepted
      Basic256Sha256        | Sign           | true  | false | accepted
      Aes128_Sha256_RsaOaep | SignAndEncrypt | true  | false | accepted
      Aes128_Sha256_RsaOaep | Sign           | false | false | accepted
      Aes256_Sha256_RsaPss  | SignAndEncrypt | true  | false | accepted
      Aes256_Sha256_RsaPss  |                | true  | false | accepted
      """)
  void credentialsWithoutASecureChannelAreRefusedUnlessExplicitlyAllowed(String policy, String mode,
      boolean credentials, boolean allowed, String outcome) throws Exception {
    ObjectNode settings = (ObjectNode) SettingsBinder.mapper().readTree(VALID);
    settings.put("securityPolicy", policy);
    if (mode != null) {
      settings.put("securityMode", mode);
    }
    if (credentials) {
      settings.put("username", "operator").put("password", "pw");
    }
    if (allowed) {
      settings.put("allowCredentialsWithoutEncryption", true);
    }

    if (outcome.equals("accepted")) {
      OpcUaSettings parsed = provider.parse(settings);
      assertThat(parsed.securityPolicy().text()).isEqualTo(policy);
      assertThat(parsed.allowCredentialsWithoutEncryption()).isEqualTo(allowed);
    } else {
      assertThatThrownBy(() -> provider.parse(settings))
          .isInstanceOfSatisfying(SourceConfigException.class, e -> {
            assertThat(e.path()).isEqualTo("securityPolicy");
            assertThat(e.reason()).startsWith(outcome).contains("allowCredentialsWithoutEncryption: true",
                "Aes256_Sha256_RsaPss").doesNotContain("pw");
          });
    }
  }

  @Test
  void aKeyStorePasswordIsHidden() throws Exception {
    OpcUaSettings settings = parse(VALID.replace("\"securityPolicy\": \"None\"",
        "\"securityPolicy\": \"Aes256_Sha256_RsaPss\", \"clientKeyStoreFile\": \"/etc/edge/client.p12\","
            + " \"clientKeyStorePassword\": \"p12-secret\""));
    assertThat(settings.clientKeyStoreFile()).isEqualTo(Path.of("/etc/edge/client.p12"));
    assertThat(settings.hasConfiguredClientCertificate()).isTrue();
    assertThat(settings.toString()).doesNotContain("p12-secret").contains("clientKeyStorePassword=***");
  }

  private OpcUaSettings parse(String json) throws Exception {
    return provider.parse((ObjectNode) SettingsBinder.mapper().readTree(json));
  }
}
