package io.edgeai4j.hardwaretests.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.hardwaretests.JetsonHardware;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.engine.BuildProgress;
import io.edgeai4j.nativebindings.engine.BuildTarget;
import io.edgeai4j.nativebindings.engine.BuiltEngine;
import io.edgeai4j.nativebindings.engine.CacheResult;
import io.edgeai4j.nativebindings.engine.ChildProcessEngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.engine.EngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineCache;
import io.edgeai4j.nativebindings.tensorrt.TensorRtEngine;
import io.edgeai4j.nativebindings.tensorrt.TensorRtRuntime;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine cache on the device: a second {@code getOrBuild}, from the same {@link EngineCache} and from a new one
 * over the same directory (as a restarted process), is a HIT that starts no builder child and whose plan loads; the
 * same model with one more byte (its {@code doc_string} changed) has another sha256, so it is built again.
 */
@JetsonHardware
public class EngineCacheHardwareTest {

  @TempDir Path work;

  /** The real child-process builder, counting the children it starts. */
  private static final class CountingBuilder implements EngineBuilder {
    final EngineBuilder delegate = ChildProcessEngineBuilder.builder().build();
    final AtomicInteger children = new AtomicInteger();

    @Override
    public BuiltEngine build(EngineBuildOptions options, Path outputDir, BuildProgress progress)
        throws NativeBindingException {
      children.incrementAndGet();
      return delegate.build(options, outputDir, progress);
    }
  }

  @Test
  void aSecondRunIsAHitWithoutAChildAndAChangedModelIsBuiltAgain() throws Exception {
    BuildTarget target = GpuSuite.target();
    BundledModel m = BundledModel.FAULT_CLASSIFIER;
    Path model = Files.copy(m.file(), work.resolve("model.onnx"));
    EngineBuildOptions options = EngineBuildOptions.builder(model).profile(m.profile()).build();
    Path dir = work.resolve("engine-cache");
    CountingBuilder builder = new CountingBuilder();

    CacheResult first = new EngineCache(dir).getOrBuild(options, target, builder, BuildProgress.NONE);
    EngineCache cache = new EngineCache(dir);
    CacheResult again = cache.getOrBuild(options, target, builder, BuildProgress.NONE);
    CacheResult restarted = new EngineCache(dir).getOrBuild(options, target, builder, BuildProgress.NONE);

    assertThat(first.outcome()).isEqualTo(CacheResult.Outcome.MISS);
    assertThat(again.outcome()).isEqualTo(CacheResult.Outcome.HIT);
    assertThat(restarted.outcome()).isEqualTo(CacheResult.Outcome.HIT);
    assertThat(builder.children).as("builder children started").hasValue(1);
    assertThat(restarted.plan()).isEqualTo(first.plan());
    TensorRtEngine engine = TensorRtRuntime.get().deserialize(Files.readAllBytes(restarted.plan()));
    assertThat(engine.inputs()).extracting(t -> t.name()).containsExactly(m.input);

    OnnxModelFile.write(OnnxModelFile.read(model).toBuilder().setDocString("changed for the cache test").build(),
        model);
    CacheResult changed = cache.getOrBuild(options, target, builder, BuildProgress.NONE);

    assertThat(changed.outcome()).as("a changed model is another key: built").isEqualTo(CacheResult.Outcome.MISS);
    assertThat(changed.key().digest()).isNotEqualTo(first.key().digest());
    assertThat(builder.children).hasValue(2);
    assertThat(first.plan()).as("the first model's entry stays (no eviction)").isRegularFile();
    assertThat(cache.getOrBuild(options, target, builder, BuildProgress.NONE).outcome())
        .isEqualTo(CacheResult.Outcome.HIT);
    assertThat(builder.children).hasValue(2);
  }
}
