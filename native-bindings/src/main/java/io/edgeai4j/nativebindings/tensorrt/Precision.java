package io.edgeai4j.nativebindings.tensorrt;

/**
 * The precision an engine is built for. FP32 and FP16 are builder settings on TensorRT 10 (FP16 is refused on
 * TensorRT 11, where precision comes from the model: convert it first, {@code edge model convert --fp16}); INT8 is
 * explicit quantization, i.e. a QDQ model ({@code edge model quantize --target tensorrt}), on both.
 */
public enum Precision {
  FP32,
  FP16,
  INT8
}
