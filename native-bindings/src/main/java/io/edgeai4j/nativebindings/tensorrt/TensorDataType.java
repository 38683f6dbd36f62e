package io.edgeai4j.nativebindings.tensorrt;

import java.util.Optional;

/** The element types an engine's inputs and outputs may have here, with their TensorRT {@code DataType} names. */
public enum TensorDataType {
  FLOAT32("kFLOAT", 4),
  FLOAT16("kHALF", 2),
  INT8("kINT8", 1),
  INT32("kINT32", 4),
  INT64("kINT64", 8);

  private final String tensorRtName;
  private final int bytes;

  TensorDataType(String tensorRtName, int bytes) {
    this.tensorRtName = tensorRtName;
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The TensorRT {@code DataType} constant's name, e.g. {@code kHALF}. */
  public String tensorRtName() {
    return tensorRtName;
  }

  /** The type of a TensorRT {@code DataType} name; empty for the ones not supported here (kBOOL, kBF16, ...). */
  public static Optional<TensorDataType> ofTensorRt(String name) {
    for (TensorDataType t : values()) {
      if (t.tensorRtName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
