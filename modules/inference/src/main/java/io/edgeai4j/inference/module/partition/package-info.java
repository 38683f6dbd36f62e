/**
 * The wire side of a split model's activations: the payload ({@link
 * io.edgeai4j.inference.module.partition.ActivationCodec}: a versioned header, float32, float16 or uint8 data, a
 * CRC-32C), its chunks within edgeHub's message limit ({@link io.edgeai4j.inference.module.partition.ActivationChunks})
 * and their reassembly by (source, set) with a timeout and a bound on sets pending ({@link
 * io.edgeai4j.inference.module.partition.Reassembler}). No transport, no model: the inference module wires them.
 */
package io.edgeai4j.inference.module.partition;
