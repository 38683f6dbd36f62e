package io.edgeai4j.ingestion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SourceConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MqttSourceSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VALID = """
      {"brokerUri": "tcp://127.0.0.1:1883",
       "subscriptions": {"t": {"topic": "sensors/+/telemetry", "fields": {"temp": {"path": "/temp"}}}}}""";

  private final MqttSourceProvider provider = new MqttSourceProvider();

  @Test
  void theProviderIsFoundByServiceLoaderUnderTypeMqtt() {
    assertThat(ServiceLoader.load(SensorSourceProvider.class).stream().map(ServiceLoader.Provider::get))
        .filteredOn(p -> p.type().equals("mqtt"))
        .singleElement()
        .isInstanceOf(MqttSourceProvider.class);
  }

  @Test
  void leftOutValuesTakeTheirDefaults() throws Exception {
    MqttSourceSettings settings = provider.parse(object(VALID));

    assertThat(settings.brokerUri()).isEqualTo(URI.create("tcp://127.0.0.1:1883"));
    assertThat(settings.clientId()).isNull();
    assertThat(settings.qos()).isEqualTo(1);
    assertThat(settings.cleanSession()).isFalse();
    assertThat(settings.keepAlive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.sensors()).containsExactly("temp");
  }

  @Test
  void everySettingBindsAndSensorsListFixedNamesInOrder() throws Exception {
    MqttSourceSettings settings = provider.parse(object("""
        {"brokerUri": "ssl://broker.local:8883", "clientId": "press-7", "username": "u", "password": "secret",
         "qos": 0, "cleanSession": true, "keepAliveSeconds": 15, "connectTimeoutMillis": 3000,
         "maxReconnectDelayMillis": 5000,
         "subscriptions": {
           "press": {"topic": "plant/press", "timestampPath": "/ts",
                     "fields": {"pressure": {"path": "/p", "unit": "bar"}, "temp": {"path": "/t", "unitPath": "/tu"}}},
           "fleet": {"topic": "sensors/+/telemetry", "fields": {"{topic[1]}-temp": {"path": "/temp"}}}}}"""));

    assertThat(settings.clientId()).isEqualTo("press-7");
    assertThat(settings.qos()).isZero();
    assertThat(settings.cleanSession()).isTrue();
    assertThat(settings.keepAlive()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.subscriptions()).containsOnlyKeys("press", "fleet");
    assertThat(settings.subscriptions().get("press").fields().get("pressure").unit()).isEqualTo("bar");
    assertThat(settings.sensors()).as("placeholder names are known only per message").containsExactly("pressure", "temp");
    assertThat(settings.toString()).doesNotContain("secret").contains("password=***");
    assertThat(JSON.valueToTree(settings).has("password")).as("the password is never serialized").isFalse();
  }

  @Test
  void equalSettingsAreEqualSoThatTheModuleRestartsOnlyChangedSources() throws Exception {
    assertThat(provider.parse(object(VALID))).isEqualTo(provider.parse(object(VALID)));
    ObjectNode changed = object(VALID);
    changed.put("qos", 0);
    assertThat(provider.parse(changed)).isNotEqualTo(provider.parse(object(VALID)));
  }

  /**
   * Each row sets (or, with {@code REMOVE}, removes) one value of a valid settings object, given as a
   * JSON Pointer, and expects the error's dotted path and a part of its reason.
   */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /brokerUri                                  | REMOVE                | brokerUri                                   | is missing; expected tcp://host:port
      /brokerUri                                  | "http://h:80"         | brokerUri                                   | has scheme http
      /brokerUri                                  | "tcp://bad_host:1883" | brokerUri                                   | no host name
      /brokerUri                                  | "tcp://h:1883/x"      | brokerUri                                   | has a user, path, query or fragment
      /brokerUri                                  | "tcp://u:p@h:1883"    | brokerUri                                   | credentials go in username and password
      /brokerUri                                  | "tcp://a b"           | brokerUri                                   | java.net.URI
      /brokerUrl                                  | "tcp://h:1883"        | brokerUrl                                   | Unrecognized field
      /clientId                                   | " "                   | clientId                                    | is blank
      /password                                   | "secret"              | password                                    | without a username
      /qos                                        | 2                     | qos                                         | must be 0 or 1, found 2
      /qos                                        | "one"                 | qos                                         | Integer
      /keepAliveSeconds                           | -1                    | keepAliveSeconds                            | must be 0 (off) to 65535 seconds, found -1
      /connectTimeoutMillis                       | 999                   | connectTimeoutMillis                        | must be 1000 to 60000 ms, found 999
      /maxReconnectDelayMillis                    | 50                    | maxReconnectDelayMillis                     | must be 100 to 3600000 ms, found 50
      /subscriptions                              | {}                    | subscriptions                               | is missing or empty
      /subscriptions/t                            | null                  | subscriptions.t                             | is null
      /subscriptions/t/topic                      | REMOVE                | subscriptions.t.topic                       | is missing
      /subscriptions/t/topic                      | "a/#/b"               | subscriptions.t.topic                       | "a/#/b" is not a valid MQTT topic filter
      /subscriptions/t/topic                      | "a/b+"                | subscriptions.t.topic                       | is not a valid MQTT topic filter
      /subscriptions/t/fields                     | {}                    | subscriptions.t.fields                      | at least one sensor
      /subscriptions/t/fields/temp                | null                  | subscriptions.t.fields.temp                 | is null
      /subscriptions/t/fields/temp/path           | REMOVE                | subscriptions.t.fields.temp.path            | is missing; expected a JSON Pointer
      /subscriptions/t/fields/temp/path           | "temp"                | subscriptions.t.fields.temp.path            | must start with '/'
      /subscriptions/t/fields/temp/unit           | ""                    | subscriptions.t.fields.temp.unit            | is blank
      /subscriptions/t/fields/temp/unitPath       | "u"                   | subscriptions.t.fields.temp.unitPath        | must start with '/'
      /subscriptions/t/fields/temp/scale          | 2                     | subscriptions.t.fields.temp.scale           | Unrecognized field
      /subscriptions/t/timestampPath              | "ts"                  | subscriptions.t.timestampPath               | must start with '/'
      /subscriptions/t/fields/{topic[3]}-temp     | {"path": "/t"}        | subscriptions.t.fields.{topic[3]}-temp      | has fixed levels 0 to 2
      /subscriptions/t/fields/{topic[0}           | {"path": "/t"}        | subscriptions.t.fields.{topic[0}            | brace outside a placeholder
      /subscriptions/u                            | {"topic": "x", "fields": {"temp": {"path": "/t"}}} | subscriptions.u.fields.temp | already mapped by subscriptions.t
      """)
  void aBadValueIsReportedAtItsDottedPath(String pointer, String value, String expectedPath, String expectedReason)
      throws Exception {
    ObjectNode settings = object(VALID);
    set(settings, pointer, value);

    assertThatThrownBy(() -> provider.parse(settings))
        .isInstanceOfSatisfying(SourceConfigException.class, e -> {
          assertThat(e.path()).isEqualTo(expectedPath);
          assertThat(e.reason()).contains(expectedReason);
          assertThat(e.getMessage()).startsWith(expectedPath + ": ");
        });
  }

  @Test
  void placeholdersMayNotPointBelowAMultiLevelWildcard() {
    ObjectNode settings = object("""
        {"brokerUri": "tcp://h", "subscriptions": {"all": {"topic": "site/#", "fields": {"{topic[1]}": {"path": ""}}}}}""");

    assertThatThrownBy(() -> provider.parse(settings))
        .isInstanceOfSatisfying(SourceConfigException.class,
            e -> assertThat(e.path()).isEqualTo("subscriptions.all.fields.{topic[1]}"));
  }

  @Test
  void theDefaultClientIdIsStableAndNamesDeviceAndModuleUnderIotEdge() {
    assertThat(MqttSource.defaultClientId("press", Map.of())).isEqualTo("edgeai4j-press");
    assertThat(MqttSource.defaultClientId("press", Map.of("IOTEDGE_DEVICEID", "line1", "IOTEDGE_MODULEID", "ingest")))
        .isEqualTo("edgeai4j-line1-ingest-press");
  }

  @Test
  void tlsSettingsBindWithHostnameVerificationOnByDefault() throws Exception {
    MqttSourceSettings settings = provider.parse(object("""
        {"brokerUri": "ssl://broker.local:8883", "caFile": "/etc/edge/ca.pem", "certFile": "/etc/edge/client.pem",
         "keyFile": "/etc/edge/client.key",
         "subscriptions": {"t": {"topic": "sensors/+/telemetry", "fields": {"temp": {"path": "/temp"}}}}}"""));

    assertThat(settings.tls()).isTrue();
    assertThat(settings.caFile()).isEqualTo(Path.of("/etc/edge/ca.pem"));
    assertThat(settings.certFile()).isEqualTo(Path.of("/etc/edge/client.pem"));
    assertThat(settings.keyFile()).isEqualTo(Path.of("/etc/edge/client.key"));
    assertThat(settings.verifyHostname()).isTrue();
    assertThat(provider.parse(object(VALID)).tls()).isFalse();
  }

  /** Each row: the broker URI, the TLS settings (JSON merged at the top level), the path and part of the reason. */
  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(delimiter = '|', textBlock = """
      tcp://h:1883 | {"caFile": "/ca.pem"}                        | caFile         | is a TLS setting, but brokerUri tcp://h:1883 is not TLS; expected ssl://host:port
      tcp://h:1883 | {"certFile": "/c.pem", "keyFile": "/c.key"}  | certFile       | is a TLS setting
      tcp://h:1883 | {"verifyHostname": false}                    | verifyHostname | is a TLS setting
      ssl://h:8883 | {"caFile": "ca.pem"}                         | caFile         | "ca.pem" is relative; expected the absolute path of a PEM file
      ssl://h:8883 | {"certFile": "/c.pem"}                       | keyFile        | is missing; certFile and keyFile go together
      ssl://h:8883 | {"keyFile": "/c.key"}                        | certFile       | is missing; certFile and keyFile go together
      ssl://h:8883 | {"caFile": "/ca.pem", "crlFile": "/x.pem"}   | crlFile        | Unrecognized field
      """)
  void tlsSettingsAreRefusedWhereTheyCannotApply(String brokerUri, String tls, String expectedPath,
      String expectedReason) throws Exception {
    ObjectNode settings = object(VALID);
    settings.put("brokerUri", brokerUri);
    settings.setAll(object(tls));

    assertThatThrownBy(() -> provider.parse(settings))
        .isInstanceOfSatisfying(SourceConfigException.class, e -> {
          assertThat(e.path()).isEqualTo(expectedPath);
          assertThat(e.reason()).contains(expectedReason);
        });
  }

  private static ObjectNode object(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** Sets the value at a JSON Pointer whose last step names a field of an existing object. */
  private static void set(ObjectNode root, String pointer, String value) throws Exception {
    int last = pointer.lastIndexOf('/');
    ObjectNode parent = (ObjectNode) root.at(pointer.substring(0, last));
    String field = pointer.substring(last + 1);
    if (value.equals("REMOVE")) {
      parent.remove(field);
    } else {
      JsonNode parsed = JSON.readTree(value);
      parent.set(field, parsed);
    }
  }
}
