package io.edgeai4j.routing;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code FROM} part of a route: a case-insensitive prefix of the message's source path.
 *
 * <p>edgeHub normalises the route's source text by trimming whitespace, then every trailing
 * {@code *}, then (unless only {@code /} is left) every trailing {@code /}, and by adding one
 * {@code /}. A message matches when its own source path, trimmed of trailing {@code /} and given
 * one {@code /}, starts with that pattern, ignoring case. So {@code /*} matches every message,
 * twin change notifications included, {@code /messages/*} matches all telemetry, and {@code
 * /messages/modules/abc/*} does not match module {@code abcd}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MessageSource {
  /** The source path of telemetry sent by a leaf device. */
  public static final String TELEMETRY_PATH = "/messages/";

  /** The source path of twin change notifications. */
  public static final String TWIN_CHANGE_NOTIFICATIONS_PATH = "/twinChangeNotifications/";

  /** edgeHub's {@code messageType} value that marks a twin change notification. */
  static final String TWIN_CHANGE_NOTIFICATION_MESSAGE_TYPE = "twinChangeNotification";

  private final String pattern;

  private MessageSource(String pattern) {
    this.pattern = pattern;
  }

  /**
   * Creates a source from route source text, normalised as edgeHub's {@code
   * CustomMessageSource.Create} does. No grammar check is made: {@link Route#parse(String)} is the
   * way to validate a whole route.
   *
   * @param sourceText The text after {@code FROM}, e.g. {@code /messages/modules/abc/*}.
   * @return The source.
   * @throws IllegalArgumentException If the text is blank.
   */
  public static MessageSource of(String sourceText) {
    Objects.requireNonNull(sourceText, "sourceText");
    if (DotNet.isBlank(sourceText)) {
      throw new IllegalArgumentException("Source cannot be null or empty");
    }
    String source = DotNet.trimEnd(DotNet.trim(sourceText), '*');
    if (source.length() > 1) {
      source = DotNet.trimEnd(source, '/');
    }
    return new MessageSource(appendSingleTrailingSlash(source));
  }

  /**
   * Returns the normalised pattern.
   *
   * @return The pattern, always ending in {@code /}, e.g. {@code /messages/modules/abc/}.
   */
  public String pattern() {
    return pattern;
  }

  /**
   * Tells whether a message with this source path is selected by this source.
   *
   * @param messageSourcePath The message's source path, e.g. {@code
   *     /messages/modules/sensor/outputs/temperature/}.
   * @return Whether the normalised path starts with the pattern, ignoring case.
   */
  public boolean matches(String messageSourcePath) {
    Objects.requireNonNull(messageSourcePath, "messageSourcePath");
    String path = appendSingleTrailingSlash(messageSourcePath);
    return path.regionMatches(true, 0, pattern, 0, pattern.length());
  }

  /** Tells whether this is edgeHub's twin change notification source. */
  boolean isTwinChangeNotifications() {
    return pattern.equalsIgnoreCase(TWIN_CHANGE_NOTIFICATIONS_PATH);
  }

  /**
   * Returns the source path of a message sent by a module on an output.
   *
   * @param moduleId The sending module.
   * @param outputName The output it was sent on.
   * @return {@code /messages/modules/{moduleId}/outputs/{outputName}/}.
   */
  public static String moduleOutputPath(String moduleId, String outputName) {
    requireNonBlank(moduleId, "moduleId");
    requireNonBlank(outputName, "outputName");
    return "/messages/modules/" + moduleId + "/outputs/" + outputName + "/";
  }

  /**
   * Returns the source path of a message sent by a module without an output name.
   *
   * @param moduleId The sending module.
   * @return {@code /messages/modules/{moduleId}/}.
   */
  public static String modulePath(String moduleId) {
    requireNonBlank(moduleId, "moduleId");
    return "/messages/modules/" + moduleId + "/";
  }

  /**
   * Computes a message's source path from its system properties, as edgeHub's {@code
   * RoutingMessageConverter} does: {@code messageType=twinChangeNotification} (any case) gives
   * {@link #TWIN_CHANGE_NOTIFICATIONS_PATH}; otherwise a {@code connectionModuleId} gives {@link
   * #moduleOutputPath} or, without {@code outputName}, {@link #modulePath}; otherwise {@link
   * #TELEMETRY_PATH}. Keys are matched exactly, as edgeHub does.
   *
   * @param systemProperties The system properties, keyed by edgeHub names.
   * @return The source path.
   * @throws IllegalArgumentException If {@code connectionModuleId} or {@code outputName} is blank.
   */
  public static String sourcePathFor(Map<String, String> systemProperties) {
    Objects.requireNonNull(systemProperties, "systemProperties");
    String messageType = systemProperties.get("messageType");
    if (TWIN_CHANGE_NOTIFICATION_MESSAGE_TYPE.equalsIgnoreCase(messageType)) {
      return TWIN_CHANGE_NOTIFICATIONS_PATH;
    }
    if (systemProperties.containsKey("connectionModuleId")) {
      String moduleId = systemProperties.get("connectionModuleId");
      return systemProperties.containsKey("outputName")
          ? moduleOutputPath(moduleId, systemProperties.get("outputName"))
          : modulePath(moduleId);
    }
    return TELEMETRY_PATH;
  }

  private static void requireNonBlank(String value, String name) {
    if (value == null || DotNet.isBlank(value)) {
      throw new IllegalArgumentException(name + " cannot be null or empty");
    }
  }

  private static String appendSingleTrailingSlash(String value) {
    return DotNet.trimEnd(DotNet.trim(value), '/') + "/";
  }

  /** Two sources are equal when their patterns are equal ignoring case, as in edgeHub. */
  @Override
  public boolean equals(Object other) {
    return other instanceof MessageSource source && source.pattern.equalsIgnoreCase(pattern);
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (int i = 0; i < pattern.length(); i++) {
      hash = 31 * hash + Character.toLowerCase(Character.toUpperCase(pattern.charAt(i)));
    }
    return hash;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
