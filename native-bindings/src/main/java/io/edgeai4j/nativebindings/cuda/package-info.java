/**
 * The CUDA runtime through the JavaCPP {@code org.bytedeco:cuda} preset: one owner per native resource
 * ({@link io.edgeai4j.nativebindings.cuda.DeviceBuffer}, {@link io.edgeai4j.nativebindings.cuda.PinnedHostBuffer},
 * {@link io.edgeai4j.nativebindings.cuda.CudaStream}), each closed by its creator with an idempotent
 * {@code close()}, and every {@code cudaError_t} as a {@link io.edgeai4j.nativebindings.cuda.CudaException}.
 */
package io.edgeai4j.nativebindings.cuda;
