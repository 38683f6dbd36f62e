package io.edgeai4j.ingestion.opcua;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.edgeai4j.ingestion.source.SourceSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The validated settings of one OPC UA source: the source's object in the module twin. Immutable, with
 * value equality; the password never appears in {@link #toString()}. Durations travel in the twin as
 * milliseconds in fields named {@code ...Millis}.
 *
 * @param endpoint The server's endpoint URL, {@code opc.tcp://host[:port][/path]}.
 * @param securityPolicy None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss.
 * @param securityMode None (only with policy None), Sign or SignAndEncrypt.
 * @param username The user name, or null for anonymous authentication.
 * @param password The password (with {@code username}), or null.
 * @param publishingInterval How often the server sends the subscription's changes.
 * @param nodes The monitored nodes by sensor name, in the order given.
 * @param trustedServerCertificates A directory of server certificates (DER or PEM) to trust, or null.
 * @param trustServerCertificateOnFirstUse Whether to trust and pin the server's certificate when no
 *     certificate is trusted yet.
 * @param reconnectMaxDelay The longest wait between two connection attempts.
 * @param requestTimeout How long a request to the server may take.
 * @param keepAliveInterval How often the client checks that the session is alive.
 * @param allowCredentialsWithoutEncryption Whether a username and password may be sent over security policy
 *     None, where no secure channel protects them; false refuses such settings.
 * @param clientCertificateFile The client's application instance certificate (PEM or DER), with
 *     {@code clientKeyFile}; or null.
 * @param clientKeyFile The private key of {@code clientCertificateFile} (unencrypted PEM, PKCS#8 or PKCS#1); or null.
 * @param clientKeyStoreFile A PKCS#12 file holding the client's key and certificate, instead of the two PEM
 *     files; or null. When no client certificate is configured, one is generated in the state directory.
 * @param clientKeyStorePassword The password of {@code clientKeyStoreFile} (empty when null); never shown by
 *     {@link #toString()}.
 */
public record OpcUaSettings(
    URI endpoint,
    SecurityPolicyName securityPolicy,
    SecurityModeName securityMode,
    String username,
    String password,
    Duration publishingInterval,
    Map<String, NodeSettings> nodes,
    Path trustedServerCertificates,
    boolean trustServerCertificateOnFirstUse,
    Duration reconnectMaxDelay,
    Duration requestTimeout,
    Duration keepAliveInterval,
    boolean allowCredentialsWithoutEncryption,
    Path clientCertificateFile,
    Path clientKeyFile,
    Path clientKeyStoreFile,
    String clientKeyStorePassword) implements SourceSettings {

  /** The port of {@code opc.tcp} URLs that name none. */
  public static final int DEFAULT_PORT = 4840;
  public static final Duration DEFAULT_PUBLISHING_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(5);

  private static final Duration MIN_PUBLISHING_INTERVAL = Duration.ofMillis(10);
  private static final Duration MAX_PUBLISHING_INTERVAL = Duration.ofHours(1);
  private static final Duration MIN_RECONNECT_MAX_DELAY = Duration.ofSeconds(1);
  private static final Duration MAX_RECONNECT_MAX_DELAY = Duration.ofMinutes(10);
  private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration MIN_KEEP_ALIVE_INTERVAL = Duration.ofMillis(500);
  private static final Duration MAX_KEEP_ALIVE_INTERVAL = Duration.ofMinutes(10);
  private static final int MAX_NODES = 1000;

  /** Validates, applies defaults and copies. */
  public OpcUaSettings {
    checkEndpoint(endpoint);
    if (securityPolicy == null) {
      throw new InvalidSettingException("securityPolicy", "missing; expected " + SecurityPolicyName.ACCEPTED);
    }
    if (securityMode == null) {
      securityMode = securityPolicy == SecurityPolicyName.NONE ? SecurityModeName.NONE : SecurityModeName.SIGN_AND_ENCRYPT;
    }
    if ((securityPolicy == SecurityPolicyName.NONE) != (securityMode == SecurityModeName.NONE)) {
      throw new InvalidSettingException("securityMode", securityMode.text() + " does not go with securityPolicy "
          + securityPolicy.text() + "; expected " + (securityPolicy == SecurityPolicyName.NONE ? "None"
          : "Sign or SignAndEncrypt"));
    }
    if (username != null && username.isBlank()) {
      throw new InvalidSettingException("username", "blank; leave it out for anonymous authentication");
    }
    if ((username == null) != (password == null)) {
      throw new InvalidSettingException(username == null ? "username" : "password",
          "missing; username and password go together (leave both out for anonymous authentication)");
    }
    if (username != null && securityPolicy == SecurityPolicyName.NONE && !allowCredentialsWithoutEncryption) {
      throw new InvalidSettingException("securityPolicy", "None with username \"" + username + "\" would send the"
          + " password without a secure channel; expected Basic256Sha256, Aes128_Sha256_RsaOaep or"
          + " Aes256_Sha256_RsaPss (with securityMode SignAndEncrypt), or set allowCredentialsWithoutEncryption: true"
          + " to accept that risk");
    }
    checkClientCertificate(clientCertificateFile, clientKeyFile, clientKeyStoreFile, clientKeyStorePassword);
    publishingInterval = inRange("publishingIntervalMillis", publishingInterval, DEFAULT_PUBLISHING_INTERVAL,
        MIN_PUBLISHING_INTERVAL, MAX_PUBLISHING_INTERVAL);
    reconnectMaxDelay = inRange("reconnectMaxDelayMillis", reconnectMaxDelay, DEFAULT_RECONNECT_MAX_DELAY,
        MIN_RECONNECT_MAX_DELAY, MAX_RECONNECT_MAX_DELAY);
    requestTimeout = inRange("requestTimeoutMillis", requestTimeout, DEFAULT_REQUEST_TIMEOUT, MIN_REQUEST_TIMEOUT,
        MAX_REQUEST_TIMEOUT);
    keepAliveInterval = inRange("keepAliveIntervalMillis", keepAliveInterval, DEFAULT_KEEP_ALIVE_INTERVAL,
        MIN_KEEP_ALIVE_INTERVAL, MAX_KEEP_ALIVE_INTERVAL);
    nodes = checkNodes(nodes, publishingInterval);
    if (trustedServerCertificates != null && !trustedServerCertificates.isAbsolute()) {
      throw new InvalidSettingException("trustedServerCertificates", "\"" + trustedServerCertificates
          + "\" is relative; expected the absolute path of a directory of DER or PEM certificate files");
    }
  }

  /** Whether the source loads its client certificate from configured files rather than generating one. */
  public boolean hasConfiguredClientCertificate() {
    return clientCertificateFile != null || clientKeyStoreFile != null;
  }

  private static void checkClientCertificate(Path certificate, Path key, Path keyStore, String keyStorePassword) {
    absolute("clientCertificateFile", certificate, "a PEM or DER certificate file");
    absolute("clientKeyFile", key, "a PEM private key file");
    absolute("clientKeyStoreFile", keyStore, "a PKCS#12 file");
    if ((certificate == null) != (key == null)) {
      throw new InvalidSettingException(certificate == null ? "clientCertificateFile" : "clientKeyFile",
          "missing; clientCertificateFile and clientKeyFile go together (or give clientKeyStoreFile, or none of them"
              + " to have a certificate generated)");
    }
    if (keyStore != null && certificate != null) {
      throw new InvalidSettingException("clientKeyStoreFile", "given together with clientCertificateFile; expected"
          + " either a PKCS#12 clientKeyStoreFile or the PEM pair clientCertificateFile and clientKeyFile");
    }
    if (keyStorePassword != null && keyStore == null) {
      throw new InvalidSettingException("clientKeyStorePassword", "given without clientKeyStoreFile; expected it only"
          + " with a PKCS#12 clientKeyStoreFile");
    }
  }

  private static void absolute(String field, Path path, String what) {
    if (path != null && !path.isAbsolute()) {
      throw new InvalidSettingException(field, "\"" + path + "\" is relative; expected the absolute path of " + what);
    }
  }

  @JsonCreator
  static OpcUaSettings fromJson(
      @JsonProperty("endpoint") String endpoint,
      @JsonProperty("securityPolicy") SecurityPolicyName securityPolicy,
      @JsonProperty("securityMode") SecurityModeName securityMode,
      @JsonProperty("username") String username,
      @JsonProperty("password") String password,
      @JsonProperty("publishingIntervalMillis") @JsonDeserialize(using = StrictDeserializers.WholeNumber.class) Long publishingIntervalMillis,
      @JsonProperty("nodes") Map<String, NodeSettings> nodes,
      @JsonProperty("trustedServerCertificates") String trustedServerCertificates,
      @JsonProperty("trustServerCertificateOnFirstUse")
      @JsonDeserialize(using = StrictDeserializers.StrictBoolean.class) Boolean trustServerCertificateOnFirstUse,
      @JsonProperty("reconnectMaxDelayMillis") @JsonDeserialize(using = StrictDeserializers.WholeNumber.class) Long reconnectMaxDelayMillis,
      @JsonProperty("requestTimeoutMillis") @JsonDeserialize(using = StrictDeserializers.WholeNumber.class) Long requestTimeoutMillis,
      @JsonProperty("keepAliveIntervalMillis") @JsonDeserialize(using = StrictDeserializers.WholeNumber.class) Long keepAliveIntervalMillis,
      @JsonProperty("allowCredentialsWithoutEncryption")
      @JsonDeserialize(using = StrictDeserializers.StrictBoolean.class) Boolean allowCredentialsWithoutEncryption,
      @JsonProperty("clientCertificateFile") String clientCertificateFile,
      @JsonProperty("clientKeyFile") String clientKeyFile,
      @JsonProperty("clientKeyStoreFile") String clientKeyStoreFile,
      @JsonProperty("clientKeyStorePassword") String clientKeyStorePassword) {
    return new OpcUaSettings(uri(endpoint), securityPolicy, securityMode, username, password,
        millis(publishingIntervalMillis), nodes, path("trustedServerCertificates", trustedServerCertificates),
        Boolean.TRUE.equals(trustServerCertificateOnFirstUse), millis(reconnectMaxDelayMillis),
        millis(requestTimeoutMillis), millis(keepAliveIntervalMillis), Boolean.TRUE.equals(allowCredentialsWithoutEncryption),
        path("clientCertificateFile", clientCertificateFile), path("clientKeyFile", clientKeyFile),
        path("clientKeyStoreFile", clientKeyStoreFile), clientKeyStorePassword);
  }

  @Override
  public Set<String> sensors() {
    return nodes.keySet();
  }

  /** The port of the endpoint, {@value #DEFAULT_PORT} when the URL names none. */
  public int port() {
    return endpoint.getPort() < 0 ? DEFAULT_PORT : endpoint.getPort();
  }

  @Override
  public String toString() {
    return "OpcUaSettings[endpoint=" + endpoint + ", securityPolicy=" + securityPolicy.text() + ", securityMode="
        + securityMode.text() + ", username=" + username + ", password=" + (password == null ? null : "***")
        + ", publishingInterval=" + publishingInterval + ", nodes=" + nodes + ", trustedServerCertificates="
        + trustedServerCertificates + ", trustServerCertificateOnFirstUse=" + trustServerCertificateOnFirstUse
        + ", reconnectMaxDelay=" + reconnectMaxDelay + ", requestTimeout=" + requestTimeout + ", keepAliveInterval="
        + keepAliveInterval + ", allowCredentialsWithoutEncryption=" + allowCredentialsWithoutEncryption
        + ", clientCertificateFile=" + clientCertificateFile + ", clientKeyFile=" + clientKeyFile
        + ", clientKeyStoreFile=" + clientKeyStoreFile + ", clientKeyStorePassword="
        + (clientKeyStorePassword == null ? null : "***") + "]";
  }

  private static void checkEndpoint(URI endpoint) {
    if (endpoint == null) {
      throw new InvalidSettingException("endpoint", "missing; expected opc.tcp://host:port/path");
    }
    if (endpoint.getScheme() == null) {
      throw new InvalidSettingException("endpoint", "\"" + endpoint + "\" has no scheme; expected opc.tcp://host:port/path");
    }
    if (!"opc.tcp".equalsIgnoreCase(endpoint.getScheme())) {
      throw new InvalidSettingException("endpoint", "\"" + endpoint + "\" has scheme " + endpoint.getScheme()
          + "; expected opc.tcp://host:port/path");
    }
    if (endpoint.getHost() == null || endpoint.getHost().isEmpty()) {
      throw new InvalidSettingException("endpoint", "\"" + endpoint + "\" names no host; expected opc.tcp://host:port/path");
    }
    if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null || endpoint.getRawUserInfo() != null) {
      throw new InvalidSettingException("endpoint", "\"" + endpoint
          + "\" has a user, query or fragment; expected opc.tcp://host:port/path");
    }
  }

  private static URI uri(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new InvalidSettingException("endpoint", "\"" + text + "\" is not a URL (" + e.getReason()
          + "); expected opc.tcp://host:port/path");
    }
  }

  private static Path path(String field, String text) {
    if (text == null) {
      return null;
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new InvalidSettingException(field, "\"" + text + "\" is not a path (" + e.getReason()
          + "); expected an absolute path");
    }
  }

  private static Duration millis(Long millis) {
    return millis == null ? null : Duration.ofMillis(millis);
  }

  private static Duration inRange(String field, Duration value, Duration fallback, Duration min, Duration max) {
    if (value == null) {
      return fallback;
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new InvalidSettingException(field, value.toMillis() + " is out of range; expected " + min.toMillis()
          + " to " + max.toMillis() + " ms");
    }
    return value;
  }

  private static Map<String, NodeSettings> checkNodes(Map<String, NodeSettings> nodes, Duration publishingInterval) {
    if (nodes == null || nodes.isEmpty()) {
      throw new InvalidSettingException("nodes", "missing or empty; expected an object keyed by sensor name, e.g. "
          + "{\"spindleSpeed\": {\"nodeId\": \"ns=2;s=Machine/SpindleSpeed\"}}");
    }
    if (nodes.size() > MAX_NODES) {
      throw new InvalidSettingException("nodes", nodes.size() + " nodes; expected at most " + MAX_NODES);
    }
    Map<String, NodeSettings> checked = new LinkedHashMap<>();
    for (Map.Entry<String, NodeSettings> entry : nodes.entrySet()) {
      String sensor = entry.getKey();
      checkSensorName(sensor);
      if (entry.getValue() == null) {
        throw new InvalidSettingException("nodes." + sensor, "null; expected an object with a nodeId");
      }
      checked.put(sensor, entry.getValue().withDefaultSamplingInterval(publishingInterval));
    }
    return Collections.unmodifiableMap(checked);
  }

  private static void checkSensorName(String sensor) {
    if (sensor.isEmpty()) {
      throw new InvalidSettingException("nodes", "a sensor name is empty; expected a name such as spindleSpeed");
    }
    for (int i = 0; i < sensor.length(); i++) {
      char c = sensor.charAt(i);
      if (c == '.' || c == '$' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new InvalidSettingException("nodes", "sensor name \"" + sensor
            + "\" contains '" + (Character.isISOControl(c) ? "\\u" + String.format("%04x", (int) c) : c)
            + "'; twin keys cannot contain '.', '$', spaces or control characters");
      }
    }
  }
}
