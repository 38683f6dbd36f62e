package io.edgeai4j.nativebindings.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.bytedeco.cuda.global.cudart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CudaErrorsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      cudaMalloc(4194304 bytes)                   | 2   | cudaErrorMemoryAllocation   | out of memory
      cudaGetDeviceCount                          | 35  | cudaErrorInsufficientDriver | CUDA driver version is insufficient for CUDA runtime version
      cudaGetDeviceCount                          | 100 | cudaErrorNoDevice           | no CUDA-capable device is detected
      cudaSetDevice(3)                            | 101 | cudaErrorInvalidDevice      | invalid device ordinal
      cudaStreamSynchronize                       | 700 | cudaErrorIllegalAddress     | an illegal memory access was encountered
      cudaMemcpyAsync(HostToDevice, 1024 bytes)   | 1   | cudaErrorInvalidValue       | invalid argument
      cudaGetDeviceCount                          | 34  | cudaErrorStubLibrary        | CUDA driver is a stub library
      """)
  void anErrorCodeBecomesAnExceptionNamingTheOperationCodeNameAndDescription(String operation, int code,
      String name, String description) {
    assertThat(Cuda.isLoaded()).as("no CUDA runtime here: the built-in table answers").isFalse();
    assertThatThrownBy(() -> CudaErrors.check(operation, code))
        .isInstanceOfSatisfying(CudaException.class, e -> {
          assertThat(e).isInstanceOf(NativeBindingException.class);
          assertThat(e.operation()).isEqualTo(operation);
          assertThat(e.code()).hasValue(code);
          assertThat(e.errorName()).isEqualTo(name);
          assertThat(e.description()).isEqualTo(description);
          assertThat(e.getMessage())
              .isEqualTo(operation + " failed with code " + code + ": " + name + " (" + description + ")");
        });
  }

  @Test
  void successIsNotAnError() {
    assertThatCode(() -> CudaErrors.check("cudaFree(256 bytes)", CudaErrors.SUCCESS)).doesNotThrowAnyException();
  }

  @Test
  void aCodeOutsideTheTableIsStillReportedWithItsNumber() {
    assertThat(CudaErrors.exception("cudaEventRecord", 12345).getMessage())
        .isEqualTo("cudaEventRecord failed with code 12345: cudaError12345 (unknown to this table; load the CUDA"
            + " runtime for its text)");
  }

  @Test
  void theTableAgreesWithThePresetsConstants() {
    // Compile-time constants of the preset this profile builds against (CUDA 12.6 or 13.3): no native code loads.
    assertThat(CudaErrors.TABLE.get(cudart.cudaSuccess).name()).isEqualTo("cudaSuccess");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorInvalidValue).name()).isEqualTo("cudaErrorInvalidValue");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorMemoryAllocation).name()).isEqualTo("cudaErrorMemoryAllocation");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorInitializationError).name())
        .isEqualTo("cudaErrorInitializationError");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorCudartUnloading).name()).isEqualTo("cudaErrorCudartUnloading");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorInvalidMemcpyDirection).name())
        .isEqualTo("cudaErrorInvalidMemcpyDirection");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorStubLibrary).name()).isEqualTo("cudaErrorStubLibrary");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorInsufficientDriver).name())
        .isEqualTo("cudaErrorInsufficientDriver");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorDevicesUnavailable).name())
        .isEqualTo("cudaErrorDevicesUnavailable");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorInvalidDeviceFunction).name())
        .isEqualTo("cudaErrorInvalidDeviceFunction");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorNoDevice).name()).isEqualTo("cudaErrorNoDevice");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorInvalidDevice).name()).isEqualTo("cudaErrorInvalidDevice");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorNoKernelImageForDevice).name())
        .isEqualTo("cudaErrorNoKernelImageForDevice");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorInvalidResourceHandle).name())
        .isEqualTo("cudaErrorInvalidResourceHandle");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorNotReady).name()).isEqualTo("cudaErrorNotReady");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorIllegalAddress).name()).isEqualTo("cudaErrorIllegalAddress");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorLaunchFailure).name()).isEqualTo("cudaErrorLaunchFailure");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorNotSupported).name()).isEqualTo("cudaErrorNotSupported");
    assertThat(CudaErrors.TABLE.get(cudart.cudaErrorUnknown).name()).isEqualTo("cudaErrorUnknown");
    assertThat(CudaErrors.TABLE).hasSize(19);
  }

  @ParameterizedTest
  @CsvSource({
      "1024, 1024, 2048, true",
      "0, 16, 16, true",
      "2049, 4096, 2048, false",
      "2049, 2048, 4096, false",
      "-1, 16, 16, false"})
  void aCopyMustFitBothBuffers(long bytes, long from, long to, boolean fits) {
    if (fits) {
      assertThatCode(() -> Copies.check(bytes, from, to, "host", "device")).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> Copies.check(bytes, from, to, "host", "device"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("copy of " + bytes + " bytes from host to device: expected 0 to " + Math.min(from, to)
              + " bytes (host buffer " + from + " bytes, device buffer " + to + " bytes)");
    }
  }
}
