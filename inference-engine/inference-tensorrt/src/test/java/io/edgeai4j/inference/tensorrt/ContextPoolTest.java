package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ContextPoolTest {
  @Test
  void aRunWaitsForAFreeContext() throws Exception {
    ContextPool<String> pool = new ContextPool<>(List.of("c0"));
    String first = pool.acquire();

    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
      try {
        return pool.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });

    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
    pool.release(first);
    assertThat(second.get()).isEqualTo("c0");
    assertThat(pool.free()).isZero();
  }

  @Test
  void everyContextIsUsedAndNoMoreCanBeReleased() throws Exception {
    ContextPool<String> pool = new ContextPool<>(List.of("c0", "c1"));

    assertThat(List.of(pool.acquire(), pool.acquire())).containsExactlyInAnyOrder("c0", "c1");
    pool.release("c0");
    pool.release("c1");
    assertThatThrownBy(() -> pool.release("c0")).isInstanceOf(IllegalStateException.class)
        .hasMessage("released more contexts than the pool holds (2)");
    assertThatThrownBy(() -> new ContextPool<>(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
