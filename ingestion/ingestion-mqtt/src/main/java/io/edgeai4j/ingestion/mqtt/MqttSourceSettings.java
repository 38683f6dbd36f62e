package io.edgeai4j.ingestion.mqtt;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeai4j.ingestion.source.SourceSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one MQTT source, bound from the module twin by {@link MqttSourceProvider#parse}.
 * Optional values left out (null) take their defaults here, so every accessor but {@link #clientId},
 * {@link #username}, {@link #password}, {@link #caFile}, {@link #certFile} and {@link #keyFile} returns a value.
 * Immutable; thread-safe.
 *
 * @param brokerUri {@code tcp://host:port} or {@code ssl://host:port} (port defaults to 1883 and 8883).
 * @param clientId The MQTT client id, or null for one derived from the source's name (see
 *     {@link MqttSource#defaultClientId}).
 * @param username The user name to connect with, or null.
 * @param password The password, or null; needs a {@code username}. Never serialized, and hidden by
 *     {@link #toString}.
 * @param qos The QoS of the subscriptions, 0 or 1; default 1.
 * @param cleanSession Whether the broker forgets the session on disconnect; default false, so that QoS
 *     1 messages published while the source was away are delivered when it comes back.
 * @param keepAliveSeconds The MQTT keep-alive interval, 0 (off) to 65535; default 60.
 * @param connectTimeoutMillis How long one connection attempt may take: the TCP (and TLS) connection,
 *     then the broker's CONNACK and SUBACK, each; 1,000 to 60,000; default 10,000.
 * @param maxReconnectDelayMillis The longest wait between two connection attempts (the wait starts at
 *     1 s, or this if less, and doubles, each wait with jitter), 100 to 3,600,000; default 30,000.
 * @param subscriptions The subscriptions, keyed by a name of your choice; at least one.
 * @param caFile With {@code ssl://}: a PEM file of the CA certificates that sign the broker's certificate (a
 *     private CA); null trusts the JVM's default trust store.
 * @param certFile With {@code ssl://}: the client's certificate (PEM, the chain if any), with {@code keyFile};
 *     or null for no client certificate.
 * @param keyFile The unencrypted PKCS#8 PEM private key of {@code certFile}; or null.
 * @param verifyHostname With {@code ssl://}: whether the broker's certificate must name the host of
 *     {@code brokerUri}; default true.
 */
public record MqttSourceSettings(
    URI brokerUri,
    String clientId,
    String username,
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String password,
    Integer qos,
    Boolean cleanSession,
    Integer keepAliveSeconds,
    Long connectTimeoutMillis,
    Long maxReconnectDelayMillis,
    Map<String, MqttSubscription> subscriptions,
    Path caFile,
    Path certFile,
    Path keyFile,
    Boolean verifyHostname) implements SourceSettings {

  static final int DEFAULT_QOS = 1;
  static final int DEFAULT_KEEP_ALIVE_SECONDS = 60;
  static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
  static final long DEFAULT_MAX_RECONNECT_DELAY_MILLIS = 30_000;

  /** Validates, fills in defaults and copies, keeping the order of {@code subscriptions}. */
  public MqttSourceSettings {
    validateBrokerUri(brokerUri);
    if (clientId != null && clientId.isBlank()) {
      throw new InvalidSettingException("clientId", "is blank; expected a client id, or leave it out for one derived from the"
          + " source name");
    }
    if (username != null && username.isEmpty()) {
      throw new InvalidSettingException("username", "is empty; expected a user name, or leave it out");
    }
    if (password != null && username == null) {
      throw new InvalidSettingException("password", "is set without a username; MQTT 3.1.1 sends a password only with a"
          + " user name");
    }
    qos = qos == null ? DEFAULT_QOS : qos;
    if (qos != 0 && qos != 1) {
      throw new InvalidSettingException("qos", "must be 0 or 1, found " + qos);
    }
    cleanSession = cleanSession != null && cleanSession;
    keepAliveSeconds = keepAliveSeconds == null ? DEFAULT_KEEP_ALIVE_SECONDS : keepAliveSeconds;
    if (keepAliveSeconds < 0 || keepAliveSeconds > 65_535) {
      throw new InvalidSettingException("keepAliveSeconds", "must be 0 (off) to 65535 seconds, found " + keepAliveSeconds);
    }
    connectTimeoutMillis = connectTimeoutMillis == null ? DEFAULT_CONNECT_TIMEOUT_MILLIS : connectTimeoutMillis;
    if (connectTimeoutMillis < 1_000 || connectTimeoutMillis > 60_000) {
      throw new InvalidSettingException("connectTimeoutMillis", "must be 1000 to 60000 ms, found " + connectTimeoutMillis);
    }
    maxReconnectDelayMillis = maxReconnectDelayMillis == null ? DEFAULT_MAX_RECONNECT_DELAY_MILLIS
        : maxReconnectDelayMillis;
    if (maxReconnectDelayMillis < 100 || maxReconnectDelayMillis > 3_600_000) {
      throw new InvalidSettingException("maxReconnectDelayMillis", "must be 100 to 3600000 ms, found " + maxReconnectDelayMillis);
    }
    if (subscriptions == null || subscriptions.isEmpty()) {
      throw new InvalidSettingException("subscriptions", "is missing or empty; expected at least one, e.g. {\"telemetry\":"
          + " {\"topic\": \"sensors/+/telemetry\", \"fields\": {...}}}");
    }
    validateSensorNames(subscriptions);
    subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
    validateTls(brokerUri, caFile, certFile, keyFile, verifyHostname);
    verifyHostname = verifyHostname == null || verifyHostname;
  }

  /** Whether the connection is TLS ({@code ssl://}). */
  public boolean tls() {
    return "ssl".equals(brokerUri.getScheme());
  }

  private static void validateTls(URI uri, Path caFile, Path certFile, Path keyFile, Boolean verifyHostname) {
    Map<String, Object> tlsSettings = new LinkedHashMap<>();
    tlsSettings.put("caFile", caFile);
    tlsSettings.put("certFile", certFile);
    tlsSettings.put("keyFile", keyFile);
    tlsSettings.put("verifyHostname", verifyHostname);
    for (Map.Entry<String, Object> setting : tlsSettings.entrySet()) {
      if (setting.getValue() == null) {
        continue;
      }
      if (!"ssl".equals(uri.getScheme())) {
        throw new InvalidSettingException(setting.getKey(), "is a TLS setting, but brokerUri " + uri
            + " is not TLS; expected ssl://host:port");
      }
      if (setting.getValue() instanceof Path path && !path.isAbsolute()) {
        throw new InvalidSettingException(setting.getKey(), "\"" + path + "\" is relative; expected the absolute path"
            + " of a PEM file");
      }
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new InvalidSettingException(certFile == null ? "certFile" : "keyFile", "is missing; certFile and keyFile"
          + " go together (the client certificate and its private key)");
    }
  }

  private static void validateBrokerUri(URI uri) {
    String expected = "; expected tcp://host:port or ssl://host:port";
    if (uri == null) {
      throw new InvalidSettingException("brokerUri", "is missing" + expected);
    }
    if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
      throw new InvalidSettingException("brokerUri", "has scheme " + uri.getScheme() + " in " + uri + expected);
    }
    if (uri.getHost() == null) {
      throw new InvalidSettingException("brokerUri", "has no host name that can be resolved in " + uri + expected
          + " (host names may hold letters, digits, - and .)");
    }
    boolean emptyPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
    if (uri.getUserInfo() != null || !emptyPath || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new InvalidSettingException("brokerUri", "has a user, path, query or fragment in " + uri + expected
          + " (credentials go in username and password)");
    }
  }

  private static void validateSensorNames(Map<String, MqttSubscription> subscriptions) {
    Map<String, String> subscriptionOfSensor = new LinkedHashMap<>();
    for (Map.Entry<String, MqttSubscription> subscription : subscriptions.entrySet()) {
      if (subscription.getValue() == null) {
        throw new InvalidSettingException("subscriptions." + subscription.getKey(), "is null; expected an object with topic"
            + " and fields");
      }
      for (String sensor : subscription.getValue().fields().keySet()) {
        String earlier = subscriptionOfSensor.putIfAbsent(sensor, subscription.getKey());
        if (earlier != null) {
          throw new InvalidSettingException("subscriptions." + subscription.getKey() + ".fields." + sensor, "sensor " + sensor
              + " is already mapped by subscriptions." + earlier + "; expected each sensor name once per source");
        }
      }
    }
  }

  /** The keep-alive interval; zero when off. */
  public Duration keepAlive() {
    return Duration.ofSeconds(keepAliveSeconds);
  }

  /** How long each step of a connection attempt may take. */
  public Duration connectTimeout() {
    return Duration.ofMillis(connectTimeoutMillis);
  }

  /** The longest wait between two connection attempts. */
  public Duration maxReconnectDelay() {
    return Duration.ofMillis(maxReconnectDelayMillis);
  }

  /**
   * The sensors with fixed names. Names with {@code {topic[N]}} placeholders are known only when a
   * message arrives, so they are not listed; the module validates their readings with its defaults.
   */
  @Override
  public Set<String> sensors() {
    Set<String> sensors = new LinkedHashSet<>();
    for (MqttSubscription subscription : subscriptions.values()) {
      for (SensorNameTemplate name : subscription.sensorNames()) {
        if (name.isFixed()) {
          sensors.add(name.text());
        }
      }
    }
    return Collections.unmodifiableSet(sensors);
  }

  /** Shows every setting but the password. */
  @Override
  public String toString() {
    return "MqttSourceSettings[brokerUri=" + brokerUri + ", clientId=" + clientId + ", username=" + username
        + ", password=" + (password == null ? null : "***") + ", qos=" + qos + ", cleanSession=" + cleanSession
        + ", keepAliveSeconds=" + keepAliveSeconds + ", connectTimeoutMillis=" + connectTimeoutMillis
        + ", maxReconnectDelayMillis=" + maxReconnectDelayMillis
        + ", subscriptions=" + subscriptions + ", caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile
        + ", verifyHostname=" + verifyHostname + "]";
  }
}
