package io.edgeai4j.optimize.reference;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.data.DataTensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a libsvm file (one row a line: {@code label index:value ...}, indices one-based as Tribuo reads
 * {@code mnist_test_head.libsvm} with {@code zeroIndexed=false}) into a float32 input tensor of the given row shape
 * and int64 labels. Values are kept as written (raw 0-255 pixels for MNIST).
 */
record LibSvmRows(DataTensor input, DataTensor labels) {
  static LibSvmRows read(Path file, String inputName, long... rowShape) throws IOException {
    int features = Math.toIntExact(Arrays.stream(rowShape).reduce(1, Math::multiplyExact));
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII).stream().filter(l -> !l.isBlank())
        .toList();
    double[] values = new double[lines.size() * features];
    double[] labels = new double[lines.size()];
    for (int row = 0; row < lines.size(); row++) {
      String[] parts = lines.get(row).trim().split("\\s+");
      labels[row] = Integer.parseInt(parts[0]);
      for (int p = 1; p < parts.length; p++) {
        int colon = parts[p].indexOf(':');
        int index = Integer.parseInt(parts[p].substring(0, colon));
        if (index < 1 || index > features) {
          throw new IllegalArgumentException(file + " line " + (row + 1) + ": feature index " + index
              + " is outside [1, " + features + "] (one-based)");
        }
        values[row * features + index - 1] = Double.parseDouble(parts[p].substring(colon + 1));
      }
    }
    long[] shape = new long[rowShape.length + 1];
    shape[0] = lines.size();
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return new LibSvmRows(new DataTensor(inputName, OnnxMl.TensorProto.DataType.FLOAT.getNumber(), shape, values),
        new DataTensor("labels", OnnxMl.TensorProto.DataType.INT64.getNumber(), new long[] {lines.size()}, labels));
  }
}
