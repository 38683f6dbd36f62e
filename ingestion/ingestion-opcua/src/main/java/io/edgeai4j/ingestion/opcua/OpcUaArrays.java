package io.edgeai4j.ingestion.opcua;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.stack.core.types.builtin.Matrix;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Reads the samples of a one-dimensional numeric OPC UA array, as Milo delivers it: a Java array of
 * primitives or of boxed values (Double, Float, Int16/32/64, UInt16/32/64, Byte, SByte), an array of
 * Variants holding such numbers, or a {@link Matrix} with one dimension. Everything else gets a reason:
 * a matrix or nested array of more than one dimension, an empty array, a null element, a non-numeric
 * element or array (Boolean, String, ...). NaN and infinite elements are kept, for validation to
 * reject the block as it rejects such a single value. Stateless.
 */
final class OpcUaArrays {
  /** The samples, or why there are none: exactly one is non-null. */
  record Samples(double[] values, String error) {
    static Samples refused(String error) {
      return new Samples(null, error);
    }
  }

  private OpcUaArrays() {}

  /** Whether {@code value} is an array or a matrix, i.e. is read by {@link #samples}. */
  static boolean isArray(Object value) {
    return value != null && (value.getClass().isArray() || value instanceof Matrix);
  }

  /** The samples of an array or matrix, in order; the returned array is a new one. */
  static Samples samples(Object value) {
    Object elements = value;
    if (value instanceof Matrix matrix) {
      int[] dimensions = matrix.getDimensions();
      if (matrix.isNull() || dimensions == null) {
        return Samples.refused("a null matrix; expected a one-dimensional numeric array");
      }
      if (dimensions.length != 1) {
        return Samples.refused("a matrix of " + Arrays.stream(dimensions).mapToObj(Integer::toString)
            .collect(Collectors.joining("x")) + " values; expected a one-dimensional numeric array"
            + " (multidimensional values are not sampled)");
      }
      elements = matrix.getElements();
    }
    Class<?> component = elements.getClass().getComponentType();
    int length = Array.getLength(elements);
    String kind = component.getSimpleName() + "[" + length + "]";
    if (component.isArray()) {
      return Samples.refused("a nested array " + kind + "; expected a one-dimensional numeric array"
          + " (multidimensional values are not sampled)");
    }
    if (component == boolean.class || component == Boolean.class || component == char.class
        || !(component.isPrimitive() || Number.class.isAssignableFrom(component) || component == Object.class
        || component == Variant.class)) {
      return Samples.refused("a " + kind + " array; expected a numeric array");
    }
    if (length == 0) {
      return Samples.refused("an empty array " + kind + "; a block needs at least one sample");
    }
    double[] samples = new double[length];
    if (elements instanceof double[] doubles) {
      System.arraycopy(doubles, 0, samples, 0, length);
      return new Samples(samples, null);
    }
    if (component.isPrimitive()) {
      for (int i = 0; i < length; i++) {
        Object element = Array.get(elements, i);
        samples[i] = element instanceof Float f ? shortest(f) : ((Number) element).doubleValue();
      }
      return new Samples(samples, null);
    }
    Object[] boxed = (Object[]) elements;
    for (int i = 0; i < length; i++) {
      Object element = boxed[i] instanceof Variant variant ? variant.getValue() : boxed[i];
      if (element == null) {
        return Samples.refused("element " + i + " of " + kind + " is null; a block needs every sample");
      }
      if (element.getClass().isArray() || element instanceof Matrix) {
        return Samples.refused("element " + i + " of " + kind + " is an array; expected a one-dimensional"
            + " numeric array (multidimensional values are not sampled)");
      }
      if (element instanceof Double d) {
        samples[i] = d;
      } else if (element instanceof Float f) {
        samples[i] = shortest(f);
      } else if (element instanceof Byte || element instanceof Short || element instanceof Integer
          || element instanceof Long || element instanceof UByte || element instanceof UShort
          || element instanceof UInteger || element instanceof ULong) {
        samples[i] = ((Number) element).doubleValue();
      } else {
        return Samples.refused("element " + i + " of " + kind + " is a " + element.getClass().getSimpleName()
            + " (" + abbreviate(element.toString()) + "); expected a number");
      }
    }
    return new Samples(samples, null);
  }

  /** A Float through its shortest decimal form, as single readings: {@code 0.1f} gives 0.1. */
  private static double shortest(float value) {
    return Double.parseDouble(Float.toString(value));
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
