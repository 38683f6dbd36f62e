package io.edgeai4j.azure.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SendWindowTest {
  @Test
  void aFullWindowBlocksTheCallerUntilASendCompletes() throws Exception {
    SendWindow window = new SendWindow(2);
    window.acquire();
    window.acquire();
    assertThat(window.inFlight()).isEqualTo(2);

    CompletableFuture<Thread> third = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        window.acquire();
        third.complete(Thread.currentThread());
      } catch (InterruptedException e) {
        third.completeExceptionally(e);
      }
    });
    caller.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.WAITING);
    assertThat(third).isNotDone();

    window.release();

    assertThat(third.get()).isSameAs(caller);
    assertThat(window.inFlight()).isEqualTo(2);
  }

  @Test
  void sizeMustBePositive() {
    assertThatThrownBy(() -> new SendWindow(0)).hasMessageContaining("window size is 0, expected at least 1");
  }
}
