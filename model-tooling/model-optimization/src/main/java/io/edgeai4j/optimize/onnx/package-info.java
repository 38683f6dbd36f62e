/**
 * ONNX model files as protobuf ({@code ai.onnx.proto.OnnxMl} from Tribuo): reading, atomic writing, and the ONNX
 * Runtime load check every written model passes.
 */
package io.edgeai4j.optimize.onnx;
