package io.edgeai4j.examples.filter;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The filter's configuration, bound from its desired properties. Immutable; validated on creation.
 *
 * @param field The dotted path of the number to compare, e.g. {@code machine.temperature}.
 * @param threshold Readings whose field is above this are forwarded.
 */
public record FilterConfig(String field, double threshold) {
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

  /** The configuration when the twin sets nothing. */
  public static final FilterConfig DEFAULT = new FilterConfig("machine.temperature", 25);

  /**
   * Creates the configuration from desired properties; absent values take their defaults.
   *
   * @throws IllegalArgumentException If a value is invalid, naming it.
   */
  @JsonCreator
  public static FilterConfig of(@JsonProperty("field") String field,
      @JsonProperty("threshold") Double threshold) {
    return new FilterConfig(field == null ? DEFAULT.field : field,
        threshold == null ? DEFAULT.threshold : threshold);
  }

  /** Validates the values. */
  public FilterConfig {
    if (field == null || !PATH.matcher(field).matches()) {
      throw new IllegalArgumentException("field must be a dotted path such as 'machine.temperature', found '"
          + field + "'");
    }
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite number, found " + threshold);
    }
  }

  /** Returns the path's segments. */
  public List<String> segments() {
    return List.of(field.split("\\."));
  }
}
