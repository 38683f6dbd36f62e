package io.edgeai4j.nativebindings.cuda;

import static org.bytedeco.cuda.global.cudart.cudaErrorNoDevice;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;

import io.edgeai4j.nativebindings.NativeBindingException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA runtime of this process: loading it once, and the devices it sees. Loading uses JavaCPP's search
 * ({@code org.bytedeco.javacpp.*} properties); {@code TensorRt.probe()} and {@code TensorRt.load()} set those up
 * from the documented discovery order first, so call one of them before this class on a device. Thread-safe.
 */
public final class Cuda {
  private static final Logger LOG = LoggerFactory.getLogger(Cuda.class);
  private static final Object LOCK = new Object();
  private static volatile boolean loaded;
  private static Throwable loadFailure;

  private Cuda() { }

  /**
   * Loads the JavaCPP CUDA runtime binding and the system's {@code libcudart} once; later calls return at once or
   * repeat the first failure.
   *
   * @throws NativeBindingException {@code load libcudart}, with the linker's message, when it cannot be loaded.
   */
  public static void load() throws NativeBindingException {
    if (loaded) {
      return;
    }
    synchronized (LOCK) {
      if (!loaded && loadFailure == null) {
        try {
          String path = Loader.load(cudart.class);
          loaded = true;
          LOG.info("CUDA runtime binding loaded: {}", path);
        } catch (Throwable t) { // UnsatisfiedLinkError, or NoClassDefFoundError after a failed class init
          loadFailure = t;
        }
      }
      if (!loaded) {
        throw new NativeBindingException("load libcudart", null,
            "the CUDA runtime could not be loaded: " + loadFailure + " (JavaCPP reports its last attempt only: "
            + "-Dorg.bytedeco.javacpp.logger.debug=true shows each; TensorRt.probe() names the missing libraries)",
            loadFailure);
      }
    }
  }

  /** Whether {@link #load()} succeeded in this process. */
  public static boolean isLoaded() {
    return loaded;
  }

  /**
   * The devices the CUDA runtime sees, from {@code cudaGetDeviceCount} and {@code cudaGetDeviceProperties}; empty
   * when the runtime says there is none ({@code cudaErrorNoDevice}).
   *
   * @throws NativeBindingException The runtime cannot be loaded, or a call failed (e.g. no driver:
   *     {@code cudaErrorInsufficientDriver}).
   */
  public static List<GpuInfo> devices() throws NativeBindingException {
    load();
    int[] count = new int[1];
    int code = cudaGetDeviceCount(count);
    if (code == cudaErrorNoDevice) {
      return List.of();
    }
    CudaErrors.check("cudaGetDeviceCount", code);
    List<GpuInfo> gpus = new ArrayList<>(count[0]);
    for (int i = 0; i < count[0]; i++) {
      try (cudaDeviceProp p = new cudaDeviceProp()) {
        CudaErrors.check("cudaGetDeviceProperties(device " + i + ")", cudaGetDeviceProperties(p, i));
        gpus.add(new GpuInfo(i, p.name().getString(), p.major(), p.minor(), p.integrated() != 0,
            p.totalGlobalMem()));
      }
    }
    return List.copyOf(gpus);
  }

  static CudaErrors.Known errorText(int code) {
    try {
      BytePointer name = cudaGetErrorName(code);
      BytePointer text = cudaGetErrorString(code);
      return name == null || text == null ? null : new CudaErrors.Known(name.getString(), text.getString());
    } catch (Throwable t) {
      return null;
    }
  }
}
