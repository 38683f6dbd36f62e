package io.edgeai4j.cli.model.trt;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.engine.BuildTarget;
import io.edgeai4j.nativebindings.engine.CacheResult;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.engine.EngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineCache;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.optimize.inspect.ModelInspector;
import io.edgeai4j.optimize.inspect.ModelReport;
import io.edgeai4j.optimize.onnx.ModelFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code edge model convert --to tensorrt MODEL}: decides the precision, checks TensorRT is usable here (before any
 * child process starts), then gets the engine from the {@link EngineCache}, building it in a child process when the
 * cache has no valid one, with a progress bar on stderr, and prints the cache entry. One conversion per instance; not
 * thread-safe.
 */
public final class TensorRtConversion {
  private final Settings settings;
  private final BuildTargets targets;
  private final EngineBuilder builder;

  /**
   * @param targets What the engine is built for ({@link BuildTargets#PROBE} outside tests).
   * @param builder Who builds it (a {@code ChildProcessEngineBuilder} outside tests too).
   */
  public TensorRtConversion(Settings settings, BuildTargets targets, EngineBuilder builder) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.targets = Objects.requireNonNull(targets, "targets");
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  /**
   * What the command line asked for.
   *
   * @param model The ONNX model.
   * @param fp16 {@code --fp16}.
   * @param profiles From {@code --shapes} and {@code --min/--opt/--max-shapes} ({@link ShapeOptions}).
   * @param workspaceMib {@code --workspace}, or null for the default (1 GiB).
   * @param timingCache {@code --timing-cache}, or null.
   * @param engineCache The cache directory ({@link io.edgeai4j.nativebindings.engine.EngineCacheDir#resolve}).
   * @param timeout {@code --timeout}, or null for the default (30 min).
   * @param output {@code --output}, or null.
   */
  public record Settings(Path model, boolean fp16, List<ShapeProfile> profiles, Long workspaceMib, Path timingCache,
      Path engineCache, Duration timeout, Path output) {
    public Settings {
      Objects.requireNonNull(model, "model");
      profiles = List.copyOf(profiles);
      Objects.requireNonNull(engineCache, "engineCache");
    }
  }

  /**
   * Runs the conversion.
   *
   * @return The exit code; problems are printed on {@code err}, the entry on {@code out}.
   */
  public int run(PrintWriter out, PrintWriter err) {
    try {
      CacheResult result = convert(err);
      print(result, out);
      return ExitCodes.OK;
    } catch (ConvertException e) {
      err.println("edge model convert: " + e.getMessage());
      return e.exitCode();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private CacheResult convert(PrintWriter err) throws ConvertException {
    if (!Files.isRegularFile(settings.model())) {
      throw new ConvertException(ExitCodes.NO_INPUT, "MODEL: '" + settings.model() + "': no such file");
    }
    if (settings.output() != null) {
      Path dir = settings.output().toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw new ConvertException(ExitCodes.CANT_CREATE, "--output: cannot write '" + settings.output()
            + "': its directory '" + dir + "' does not exist");
      }
    }
    ModelReport report;
    try {
      report = ModelInspector.inspect(settings.model());
    } catch (ModelFileException e) {
      throw new ConvertException(ExitCodes.DATA_ERROR, "MODEL: " + e.getMessage());
    }
    PrecisionChoice.Choice precision = PrecisionChoice.decide(report, settings.fp16());
    try {
      TensorRt.checkPrecision(precision.precision());
    } catch (NativeBindingException e) {
      throw new ConvertException(ExitCodes.USAGE, "--fp16: " + e.getMessage());
    }
    EngineBuildOptions options = options(precision);
    BuildTarget target = targets.target();
    err.println("edge model convert: building " + settings.model().getFileName() + " at " + precision.precision()
        + " (" + precision.why() + ") for TensorRT " + target.tensorRt() + " on " + target.gpu().name()
        + " unless " + settings.engineCache() + " holds it");
    ProgressBar bar = new ProgressBar(err);
    try {
      CacheResult result = new EngineCache(settings.engineCache()).getOrBuild(options, target, builder, bar);
      bar.finish();
      return result;
    } catch (NativeBindingException e) {
      bar.finish();
      throw new ConvertException(ExitCodes.SOFTWARE, "the engine build failed: " + e.getMessage());
    } catch (IOException e) {
      bar.finish();
      throw new ConvertException(ExitCodes.CANT_CREATE, "engine cache " + settings.engineCache() + ": " + e);
    }
  }

  private EngineBuildOptions options(PrecisionChoice.Choice precision) throws ConvertException {
    EngineBuildOptions.Builder b = EngineBuildOptions.builder(settings.model()).precision(precision.precision());
    settings.profiles().forEach(b::profile);
    if (settings.workspaceMib() != null) {
      if (settings.workspaceMib() < 1 || settings.workspaceMib() > Long.MAX_VALUE >> 20) {
        throw new ConvertException(ExitCodes.USAGE, "--workspace " + settings.workspaceMib() + ": expected a size in"
            + " MiB, at least 1");
      }
      b.workspaceBytes(settings.workspaceMib() << 20);
    }
    if (settings.timingCache() != null) {
      b.timingCache(settings.timingCache().toAbsolutePath());
    }
    if (settings.timeout() != null) {
      b.timeout(settings.timeout());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConvertException(ExitCodes.USAGE, e.getMessage());
    }
  }

  private void print(CacheResult r, PrintWriter out) throws ConvertException {
    out.println("engine:    " + r.plan());
    out.println("key:       " + r.key().digest());
    out.println("cache:     " + switch (r.outcome()) {
      case HIT -> "hit (a valid entry: metadata matches the key, plan sha256 checked)";
      case MISS -> "miss, built in " + seconds(r.buildTime());
      case REBUILT -> "rebuilt, " + r.rebuiltBecause().map(Enum::name).orElse("?") + ": " + r.detail() + "; built in "
          + seconds(r.buildTime());
    });
    out.println("precision: " + r.key().precision() + ", profiles " + (r.key().profiles().isEmpty() ? "none"
        : r.key().profiles().stream().map(p -> p.input() + ":min=" + dims(p.min()) + ",opt=" + dims(p.opt())
            + ",max=" + dims(p.max())).toList()) + ", workspace " + (r.key().workspaceBytes() >> 20) + " MiB");
    out.println("TensorRT:  " + r.key().tensorRt() + " (presets " + TensorRt.presetVersion() + ")");
    out.println("GPU:       " + r.key().gpuName() + ", compute capability " + r.key().computeMajor() + "."
        + r.key().computeMinor());
    out.println("model:     " + settings.model() + " (sha256 " + r.key().modelSha256() + ")");
    if (settings.output() != null) {
      Path tmp = null;
      try {
        Path dir = settings.output().toAbsolutePath().getParent();
        tmp = Files.createTempFile(dir, ".engine-", ".plan.tmp");
        Files.copy(r.plan(), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, settings.output(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out.println("copied to: " + settings.output() + " (" + Files.size(settings.output()) + " bytes)");
      } catch (IOException e) {
        throw new ConvertException(ExitCodes.CANT_CREATE, "--output: cannot copy the plan to '" + settings.output()
            + "': " + e + " (the engine is in the cache: " + r.plan() + ")");
      } finally {
        deleteQuietly(tmp);
      }
    }
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp == null) {
      return;
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // a temporary file beside --output: left behind, harmless; the command's result stands
    }
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }

  private static String dims(long[] d) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      s.append(i == 0 ? "" : "x").append(d[i]);
    }
    return s.toString();
  }
}
