package io.edgeai4j.ingestion.mqtt;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the samples of a JSON array of numbers, in order. Integers and decimals of any size become
 * doubles; {@code NaN} and {@code Infinity} are kept for validation to reject the block, as it rejects
 * such a single value. Anything else gets a reason naming the first offending element: an empty array,
 * {@code null}, a string (even one that holds a number: a single string value is not converted
 * either), a boolean, a nested array, an object (arrays of objects with their own timestamps are not
 * read). Stateless.
 */
final class JsonArrays {
  /** The samples, or why there are none: exactly one is non-null. */
  record Samples(double[] values, String error) {}

  private JsonArrays() {}

  /**
   * Reads an array node.
   *
   * @param array A JSON array.
   * @param where Where it is, for the reason (e.g. {@code /vibration}).
   */
  static Samples samples(JsonNode array, String where) {
    int length = array.size();
    if (length == 0) {
      return new Samples(null, "an empty array at " + where + "; a block needs at least one sample");
    }
    double[] values = new double[length];
    for (int i = 0; i < length; i++) {
      JsonNode element = array.get(i);
      if (element.isNumber()) {
        values[i] = element.doubleValue();
        continue;
      }
      String prefix = "element " + i + " of the array of " + length + " at " + where + " is ";
      String found = switch (element.getNodeType()) {
        case NULL -> "null; a block needs every sample";
        case STRING -> "a string " + abbreviate(element.toString()) + ", expected a number (strings are not"
            + " converted)";
        case BOOLEAN -> "a boolean, expected a number";
        case ARRAY -> "an array, expected a number (a block is one-dimensional)";
        case OBJECT -> "an object, expected a number (arrays of objects are not read; map each value by its own"
            + " path)";
        default -> "a " + element.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", expected a number";
      };
      return new Samples(null, prefix + found);
    }
    return new Samples(values, null);
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
