package io.edgeai4j.nativebindings.tensorrt;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.Cuda;
import io.edgeai4j.nativebindings.cuda.CudaException;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT in this process: {@link #probe()} says whether it can be used and why not; {@link #load()} loads it or
 * throws with those reasons. The system libraries are looked for in {@link TensorRtLibraries}' order first, and
 * nothing native is loaded unless every one of them was found, so a probe on a machine without TensorRT leaves no
 * state behind. Loading happens once per process (a library cannot be unloaded). Thread-safe.
 */
public final class TensorRt {
  private static final Logger LOG = LoggerFactory.getLogger(TensorRt.class);
  private static final Object LOCK = new Object();
  private static Throwable nvinferFailure;
  private static volatile boolean nvinferLoaded;
  private static volatile TensorRtAvailability afterLoad;

  private TensorRt() { }

  /** The TensorRT version of the presets this build was compiled against, e.g. 10.6.0.0. */
  public static TensorRtVersion presetVersion() {
    return TensorRtVersion.ofPreset(PresetVersions.tensorRt());
  }

  /**
   * Refuses a precision this build's TensorRT major cannot build, before any build starts: FP16 on TensorRT 11, where
   * precision comes from the model. Loads nothing native.
   *
   * @throws NativeBindingException {@code precision FP16} with the builder's own message (what to do instead).
   */
  public static void checkPrecision(Precision precision) throws NativeBindingException {
    if (precision == Precision.FP16) {
      PrecisionFlags.networkFlags(precision);
    }
  }

  /**
   * The version rule's verdict on running {@code loaded} with this build's presets: empty when accepted, else why it
   * is refused (the reason {@link #probe()} gives). Loads nothing native.
   */
  public static Optional<String> versionVerdict(TensorRtVersion loaded) {
    return VersionRule.check(loaded, presetVersion());
  }

  /** Probes with this process's search path ({@link TensorRtLibraries#ofThisProcess()}). Never throws. */
  public static TensorRtAvailability probe() {
    return probe(TensorRtLibraries.ofThisProcess());
  }

  /** Probes with the given search path. Never throws. */
  public static TensorRtAvailability probe(TensorRtLibraries libraries) {
    TensorRtVersion preset = presetVersion();
    List<String> reasons = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    List<GpuInfo> gpus = List.of();
    Optional<TensorRtVersion> library = Optional.empty();
    try {
      int trtMajor = preset.major();
      int cudaMajor = PresetVersions.cudaMajor(PresetVersions.cuda());
      String platform = Loader.getPlatform();
      String glue = "org/bytedeco/tensorrt/" + platform + "/libjninvinfer.so";
      if (TensorRt.class.getClassLoader().getResource(glue) == null) {
        reasons.add("the presets' JNI glue for " + platform + " is not on the class path (" + glue
            + "): add org.bytedeco:tensorrt:" + PresetVersions.tensorRt() + ":" + platform);
      }
      String where = " (looked in: " + libraries.describe() + ")";
      String setPath = "or set -D" + TensorRtLibraries.LIBRARY_PATH_PROPERTY + "=DIR";
      List<Path> found = new ArrayList<>();
      find(libraries, "libcuda.so.1", "no CUDA driver (libcuda.so.1 not found" + where
          + "); install the NVIDIA driver (JetPack: nvidia-l4t-cuda) " + setPath, found, reasons);
      find(libraries, "libcudart.so." + cudaMajor, "libcudart.so." + cudaMajor + " not found" + where
          + "; install the CUDA " + cudaMajor + " runtime (" + (cudaMajor == 12 ? "JetPack 6: apt install "
          + "cuda-cudart-12-6" : "JetPack 7: apt install cuda-cudart-" + cudaMajor + "-0") + ") " + setPath,
          found, reasons);
      String install = trtMajor == 10 ? "install TensorRT 10 (JetPack 6: apt install nvidia-tensorrt)"
          : "install TensorRT " + trtMajor + " (JetPack 7.2.2+: the TensorRT 11.4 SBSA build)";
      for (String lib : List.of("libnvinfer.so." + trtMajor, "libnvonnxparser.so." + trtMajor)) {
        find(libraries, lib, lib + " not found" + where + "; " + install + " " + setPath, found, reasons);
      }
      if (!reasons.isEmpty()) {
        return new TensorRtAvailability(false, reasons, loaded, library, preset, gpus);
      }
      found.forEach(p -> loaded.add(p.getFileName() + ": " + p));
      TensorRtLibraries.configureJavaCpp(found);
      loadNvinfer();
      TensorRtVersion v = new TensorRtVersion(nvinfer.getInferLibMajorVersion(), nvinfer.getInferLibMinorVersion(),
          nvinfer.getInferLibPatchVersion(), nvinfer.getInferLibBuildVersion());
      library = Optional.of(v);
      VersionRule.check(v, preset).ifPresent(reasons::add);
      try {
        gpus = Cuda.devices();
        if (gpus.isEmpty()) {
          reasons.add("no CUDA device (cudaGetDeviceCount: cudaErrorNoDevice)");
        }
      } catch (CudaException e) {
        reasons.add((e.errorName().equals("cudaErrorInsufficientDriver") ? "no usable CUDA driver: " : "")
            + e.getMessage());
      }
    } catch (NativeBindingException e) {
      reasons.add(e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      reasons.add("probing TensorRT failed: " + e);
    }
    TensorRtAvailability a = new TensorRtAvailability(reasons.isEmpty(), reasons, loaded, library, preset, gpus);
    if (nvinferLoaded && afterLoad == null) {
      afterLoad = a; // the verdict once TensorRT is in the process: a library cannot be unloaded or replaced
    }
    LOG.info("TensorRT probe: {}; loaded {}", a.summary(), loaded);
    return a;
  }

  /**
   * Makes sure TensorRT is usable in this process, loading it on first call. Once TensorRT is loaded the verdict
   * is final (e.g. a refused version stays refused).
   *
   * @throws NativeBindingException {@code load TensorRT}, with every reason of the {@link #probe()}.
   */
  public static TensorRtVersion load() throws NativeBindingException {
    TensorRtAvailability a = afterLoad;
    if (a == null) {
      a = probe();
    }
    if (!a.available()) {
      throw new NativeBindingException("load TensorRT", String.join("; ", a.reasons()));
    }
    return a.library().orElseThrow();
  }

  private static void find(TensorRtLibraries libraries, String soname, String missing, List<Path> found,
      List<String> reasons) {
    Optional<Path> p = libraries.find(soname);
    if (p.isPresent()) {
      found.add(p.get());
    } else {
      reasons.add(missing);
    }
  }

  private static void loadNvinfer() throws NativeBindingException {
    synchronized (LOCK) {
      if (!nvinferLoaded && nvinferFailure == null) {
        try {
          Cuda.load();
          String path = Loader.load(nvinfer.class);
          Loader.load(nvonnxparser.class);
          nvinferLoaded = true;
          LOG.info("TensorRT binding loaded: {}", path);
        } catch (NativeBindingException e) {
          nvinferFailure = e;
        } catch (Throwable t) { // UnsatisfiedLinkError: a found library that does not load (wrong arch, deps)
          nvinferFailure = t;
        }
      }
      if (!nvinferLoaded) {
        throw new NativeBindingException("load libnvinfer", null, "TensorRT could not be loaded: "
            + (nvinferFailure instanceof NativeBindingException n ? n.getMessage() : nvinferFailure.toString())
            + " (JavaCPP debug output: -Dorg.bytedeco.javacpp.logger.debug=true)", nvinferFailure);
      }
    }
  }
}
