package io.edgeai4j.module;

/**
 * Names of the message system properties, spelled as edgeHub's route language spells them
 * ({@code $contentType}, {@code {$connectionModuleId}}, ...).
 */
public final class SystemProperties {
  /** The message id, {@code $.mid} on MQTT. */
  public static final String MESSAGE_ID = "messageId";
  /** The correlation id, {@code $.cid} on MQTT. */
  public static final String CORRELATION_ID = "correlationId";
  /** The user id, {@code $.uid} on MQTT. */
  public static final String USER_ID = "userId";
  /** The MIME type of the body; {@code $body} routes need {@code application/json}. */
  public static final String CONTENT_TYPE = "contentType";
  /** The charset of the body; {@code $body} routes need {@code utf-8}, {@code utf-16} or {@code utf-32}. */
  public static final String CONTENT_ENCODING = "contentEncoding";
  /** The device the message came from, set by the hub. */
  public static final String CONNECTION_DEVICE_ID = "connectionDeviceId";
  /** The module the message came from, set by the hub. */
  public static final String CONNECTION_MODULE_ID = "connectionModuleId";
  /** The output the message was sent on. */
  public static final String OUTPUT_NAME = "outputName";
  /** The input the message was delivered to. */
  public static final String INPUT_NAME = "inputName";
  /** When the sender created the message, ISO-8601 UTC. */
  public static final String CREATION_TIME = "creationTime";
  /** When the hub enqueued the message, ISO-8601 UTC. */
  public static final String ENQUEUED_TIME = "enqueuedTime";
  /** The message schema name. */
  public static final String MESSAGE_SCHEMA = "messageSchema";
  /** The message type; {@code twinChangeNotification} for twin change notifications. */
  public static final String MESSAGE_TYPE = "messageType";

  /** The content type every JSON message carries. */
  public static final String APPLICATION_JSON = "application/json";
  /** The content encoding every JSON message carries. */
  public static final String UTF_8 = "utf-8";

  private SystemProperties() {}
}
