package io.edgeai4j.ingestion.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Binds a source's settings object to a record with Jackson, strictly (unknown fields, nulls for
 * primitives, {@code 502.7} or {@code "502"} for an integer are errors), and turns Jackson's errors into {@link SourceConfigException}s whose path
 * names the offending field. A record's compact constructor that throws
 * {@link IllegalArgumentException} reports a reason at the record's own path; one that throws
 * {@link InvalidSettingException} reports it at the record's path plus the exception's field.
 *
 * <p>Keep unknown fields an error here, in plug-ins too: the sensor-ingestion module decides what one means. Under
 * its default ({@code UnknownKeys.WARN}) it removes the field this error names, parses again, and reports the field
 * in {@code configurationStatus.warnings}; under {@code UnknownKeys.REFUSE} the error stands.
 */
public final class SettingsBinder {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private SettingsBinder() {}

  /**
   * Binds {@code settings} to {@code type}.
   *
   * @throws SourceConfigException If the object does not bind; the message names the field.
   */
  public static <T> T bind(ObjectNode settings, Class<T> type) throws SourceConfigException {
    try {
      return MAPPER.treeToValue(settings, type);
    } catch (JsonMappingException e) {
      String path = path(e.getPath());
      String reason = e instanceof ValueInstantiationException && e.getCause() != null
          && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getOriginalMessage();
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof InvalidSettingException invalid) {
          path = invalid.field().isEmpty() ? path : path.isEmpty() ? invalid.field() : path + "." + invalid.field();
          reason = invalid.reason();
          break;
        }
      }
      SourceConfigException error = new SourceConfigException(path, reason);
      error.initCause(e);
      throw error;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      SourceConfigException error = new SourceConfigException("", e.getOriginalMessage());
      error.initCause(e);
      throw error;
    }
  }

  /** A copy of the strict mapper, for providers that need one. */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
