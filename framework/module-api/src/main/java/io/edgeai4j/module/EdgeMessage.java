package io.edgeai4j.module;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable IoT Edge message: a body, application properties and system properties.
 *
 * <p>Create JSON messages with {@link #json(String)} or {@link #json(Object)}: they always carry
 * {@code contentType=application/json} and {@code contentEncoding=utf-8}, without which every
 * {@code $body} route condition evaluates to undefined on edgeHub. Instances are thread-safe.
 */
public final class EdgeMessage {
  /** The largest message edgeHub accepts, body and properties together, in bytes. */
  public static final int MAX_SIZE_BYTES = 256 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final byte[] body;
  private final Map<String, String> properties;
  private final Map<String, String> systemProperties;

  private EdgeMessage(Builder builder) {
    this.body = builder.body.clone();
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.properties));
    this.systemProperties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.systemProperties));
  }

  /**
   * Creates a JSON message from JSON text.
   *
   * @param json The JSON document.
   * @return A message with {@code contentType=application/json} and {@code contentEncoding=utf-8}.
   * @throws IllegalArgumentException If the text is not JSON.
   */
  public static EdgeMessage json(String json) {
    Objects.requireNonNull(json, "json");
    try {
      MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Message body is not JSON: " + e.getOriginalMessage(), e);
    }
    return builder().jsonBody(json).build();
  }

  /**
   * Creates a JSON message by serialising a value with Jackson.
   *
   * @param value The value to serialise, e.g. a record or a {@link JsonNode}.
   * @return A message with {@code contentType=application/json} and {@code contentEncoding=utf-8}.
   */
  public static EdgeMessage json(Object value) {
    try {
      return builder().jsonBody(MAPPER.writeValueAsString(value)).build();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot serialise " + value.getClass().getName() + " to JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Creates a plain-text message ({@code text/plain}, {@code utf-8}).
   *
   * @param text The body.
   * @return The message.
   */
  public static EdgeMessage text(String text) {
    return builder()
        .body(text.getBytes(StandardCharsets.UTF_8))
        .systemProperty(SystemProperties.CONTENT_TYPE, "text/plain")
        .systemProperty(SystemProperties.CONTENT_ENCODING, SystemProperties.UTF_8)
        .build();
  }

  /** Returns a builder for a new message with an empty body. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this message. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.body = body;
    b.properties.putAll(properties);
    b.systemProperties.putAll(systemProperties);
    return b;
  }

  /** Returns a copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Returns a stream over the body, without copying it (unlike {@link #body()}); each call returns a new
   * stream, positioned at the start. Closing it does nothing.
   */
  public InputStream bodyStream() {
    return new ByteArrayInputStream(body);
  }

  /** Returns the body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Returns the body decoded with the message's content encoding, or UTF-8 when it has none.
   *
   * @throws IllegalStateException If the content encoding names no charset this JVM knows.
   */
  public String bodyAsString() {
    return new String(body, charset());
  }

  /**
   * Parses the body as JSON.
   *
   * @throws IllegalStateException If the body is not JSON; the message says what was found.
   */
  public JsonNode bodyAsJson() {
    try {
      return MAPPER.readTree(bodyAsString());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Message body is not JSON (contentType="
          + contentType().orElse("<none>") + "): " + e.getOriginalMessage(), e);
    }
  }

  /** Returns the application properties, in insertion order; values may be null. */
  public Map<String, String> properties() {
    return properties;
  }

  /** Returns an application property, looked up exactly as named. */
  public Optional<String> property(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  /** Returns the system properties by their {@link SystemProperties} names. */
  public Map<String, String> systemProperties() {
    return systemProperties;
  }

  /** Returns a system property by its {@link SystemProperties} name. */
  public Optional<String> systemProperty(String name) {
    return Optional.ofNullable(systemProperties.get(name));
  }

  /** Returns the content type, if set. */
  public Optional<String> contentType() {
    return systemProperty(SystemProperties.CONTENT_TYPE);
  }

  /** Returns the content encoding, if set. */
  public Optional<String> contentEncoding() {
    return systemProperty(SystemProperties.CONTENT_ENCODING);
  }

  /** Returns the message id, if set. */
  public Optional<String> messageId() {
    return systemProperty(SystemProperties.MESSAGE_ID);
  }

  /** Returns the correlation id, if set. */
  public Optional<String> correlationId() {
    return systemProperty(SystemProperties.CORRELATION_ID);
  }

  /**
   * Returns the size edgeai4j checks against {@link #MAX_SIZE_BYTES}: the body plus the UTF-8 bytes
   * of every property name and value.
   */
  public int sizeInBytes() {
    return body.length + utf8Size(properties) + utf8Size(systemProperties);
  }

  private static int utf8Size(Map<String, String> map) {
    int size = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      if (e.getValue() != null) {
        size += e.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return size;
  }

  private Charset charset() {
    String encoding = contentEncoding().orElse(SystemProperties.UTF_8);
    try {
      return Charset.forName(encoding);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new IllegalStateException("Message contentEncoding '" + encoding
          + "' is not a charset; expected e.g. utf-8, utf-16 or utf-32", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EdgeMessage)) {
      return false;
    }
    EdgeMessage that = (EdgeMessage) o;
    return Arrays.equals(body, that.body)
        && properties.equals(that.properties)
        && systemProperties.equals(that.systemProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(body), properties, systemProperties);
  }

  @Override
  public String toString() {
    return "EdgeMessage{" + body.length + " bytes, properties=" + properties
        + ", systemProperties=" + systemProperties + '}';
  }

  /** Builds an {@link EdgeMessage}. Not thread-safe. */
  public static final class Builder {
    private byte[] body = new byte[0];
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();

    private Builder() {}

    /** Sets the body bytes as they are; set the content type and encoding too. */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    /** Sets a JSON body with {@code contentType=application/json} and {@code contentEncoding=utf-8}. */
    public Builder jsonBody(String json) {
      this.body = json.getBytes(StandardCharsets.UTF_8);
      systemProperties.put(SystemProperties.CONTENT_TYPE, SystemProperties.APPLICATION_JSON);
      systemProperties.put(SystemProperties.CONTENT_ENCODING, SystemProperties.UTF_8);
      return this;
    }

    /** Sets an application property; a null value is kept as an explicit null. */
    public Builder property(String name, String value) {
      properties.put(requireName(name), value);
      return this;
    }

    /** Sets every application property in the map. */
    public Builder properties(Map<String, String> values) {
      values.forEach(this::property);
      return this;
    }

    /** Sets a system property by its {@link SystemProperties} name; null removes it. */
    public Builder systemProperty(String name, String value) {
      if (value == null) {
        systemProperties.remove(requireName(name));
      } else {
        systemProperties.put(requireName(name), value);
      }
      return this;
    }

    /** Sets the content type. */
    public Builder contentType(String contentType) {
      return systemProperty(SystemProperties.CONTENT_TYPE, contentType);
    }

    /** Sets the content encoding. */
    public Builder contentEncoding(String contentEncoding) {
      return systemProperty(SystemProperties.CONTENT_ENCODING, contentEncoding);
    }

    /** Sets the message id. */
    public Builder messageId(String messageId) {
      return systemProperty(SystemProperties.MESSAGE_ID, messageId);
    }

    /** Sets the correlation id. */
    public Builder correlationId(String correlationId) {
      return systemProperty(SystemProperties.CORRELATION_ID, correlationId);
    }

    /** Builds the message. */
    public EdgeMessage build() {
      return new EdgeMessage(this);
    }

    private static String requireName(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("Property name must not be null or empty");
      }
      return name;
    }
  }
}
