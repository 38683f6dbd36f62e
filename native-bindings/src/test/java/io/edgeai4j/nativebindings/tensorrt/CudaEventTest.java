package io.edgeai4j.nativebindings.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.CudaEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without a GPU, {@link CudaEvent#create()} (what {@code ExecutionContext.startTiming()} calls first) fails with a
 * {@code NativeBindingException} naming what it tried: {@code load libcudart} with the linker's reason where the CUDA
 * runtime binding cannot be loaded (this VM in both profiles, though it has a CUDA 13 toolkit's
 * {@code libcudart.so.13}), else {@code cudaEventCreateWithFlags} with CUDA's error (a runtime but no device).
 * Loading leaves state in a JVM (a library cannot be unloaded), so this runs in a child JVM, as
 * {@link TensorRtProbeTest} does.
 */
class CudaEventTest {

  @Test
  void withoutAGpuCreatingAnEventFailsNamingWhatItTried() throws Exception {
    assumeFalse(Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/etc/nv_tegra_release")),
        "this machine has a GPU: an event can be created for real");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), EventChild.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).doesNotContain("created").satisfiesAnyOf(
        o -> assertThat(o).contains("operation=load libcudart")
            .contains("the CUDA runtime could not be loaded: java.lang.UnsatisfiedLinkError")
            .contains("TensorRt.probe() names the missing libraries"),
        o -> assertThat(o).contains("operation=cudaEventCreateWithFlags(cudaEventDefault)"));
  }

  /** Creates an event and prints the failure's operation and message. */
  public static final class EventChild {
    public static void main(String[] args) throws Exception {
      try (CudaEvent e = CudaEvent.create()) {
        System.out.println("created " + e);
      } catch (NativeBindingException e) {
        System.out.println("operation=" + e.operation());
        System.out.println("message=" + e.getMessage());
      }
    }
  }
}
