/**
 * The ONNX Runtime inference backend: providers {@code onnxruntime-cpu} and {@code onnxruntime-cuda} (CUDA and
 * TensorRT execution providers when the ONNX Runtime GPU build is on the class path), listed in
 * {@code META-INF/services}. The provider classes load without ONNX Runtime's native library; it is loaded, once per
 * process, when a provider is probed or opened.
 */
package io.edgeai4j.inference.onnxruntime;
