package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.nio.file.Path;

/**
 * A second process using the same cache, for the cross-process locking test: {@code CacheProcessMain CACHE_DIR
 * MODEL} runs {@link EngineCache#getOrBuild} with {@link FixedPlanCompiler} (its system properties passed on) and
 * prints the outcome.
 */
public final class CacheProcessMain {
  private CacheProcessMain() {
  }

  public static void main(String[] args) throws Exception {
    ChildProcessEngineBuilder.Builder builder = ChildProcessEngineBuilder.builder()
        .systemProperty(EngineBuilderMain.COMPILER_PROPERTY, FixedPlanCompiler.class.getName());
    for (String p : new String[] {"edgeai4j.test.buildLog", "edgeai4j.test.buildMillis"}) {
      if (System.getProperty(p) != null) {
        builder.systemProperty(p, System.getProperty(p));
      }
    }
    CacheResult r = new EngineCache(Path.of(args[0])).getOrBuild(
        EngineBuildOptions.builder(Path.of(args[1])).build(),
        new BuildTarget(TensorRtVersion.parse("10.3.0.30"), new GpuInfo(0, "Orin", 8, 7, true, 8L << 30)),
        builder.build(), BuildProgress.NONE);
    System.out.println(r.outcome());
  }
}
