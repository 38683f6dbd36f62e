package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the sender does with callbacks and retries when it closes. */
class ResultSenderTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aCallbackHandedOverAfterCloseRunsOnTheCallersThread() {
    ResultSender sender = new ResultSender((output, message) -> {}, "test", 1);
    sender.close();
    AtomicBoolean ran = new AtomicBoolean();
    sender.executor().execute(() -> ran.set(true));
    assertThat(ran).isTrue();
  }

  @Test
  void closingGivesUpOnlyTheSendsWaitingForARetryAndStillRunsQueuedCallbacks() throws Exception {
    ResultSender sender = new ResultSender((output, message) -> {
      throw new TransportException("edgeHub is reconnecting", true, null);
    }, "test", 1);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    sender.executor().execute(() -> {
      blocking.countDown();
      waitFor(busy);
    });
    assertThat(blocking.await(20, TimeUnit.SECONDS)).isTrue();
    AtomicInteger callbacks = new AtomicInteger();
    sender.executor().execute(callbacks::incrementAndGet);
    sender.executor().execute(callbacks::incrementAndGet);
    AtomicInteger done = new AtomicInteger();
    sender.send("results", EdgeMessage.json("{}"), done::incrementAndGet);
    assertThat(done).as("waiting for its retry").hasValue(0);

    Thread closing = new Thread(() -> sender.close(WAIT));
    closing.start();
    await().atMost(WAIT).until(() -> sender.lost() == 1);
    busy.countDown();
    closing.join(WAIT.toMillis());

    assertThat(closing.isAlive()).isFalse();
    assertThat(callbacks).as("queued callbacks still run").hasValue(2);
    assertThat(sender.lost()).as("only the retry is given up").isEqualTo(1);
    assertThat(done).as("the given-up send's done ran once").hasValue(1);
  }

  @Test
  void aRefusedSendIsRetriedWithTheProjectsBackoffDoublingFrom100MillisWithJitter() throws Exception {
    List<Long> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    ResultSender sender = new ResultSender((output, message) -> {
      attempts.add(System.nanoTime());
      if (attempts.size() <= 4) {
        throw new TransportException("edgeHub is reconnecting", true, null);
      }
    }, "test", 1);
    AtomicInteger done = new AtomicInteger();
    try {
      sender.send("results", EdgeMessage.json("{}"), done::incrementAndGet);

      await().atMost(WAIT).until(() -> done.get() == 1);
    } finally {
      sender.close();
    }
    assertThat(attempts).hasSize(5);
    assertThat(sender.lost()).isZero();
    // Bases 100, 200, 400, 800 ms; each wait lies between half and all of its base (plus scheduling).
    List<Double> shares = new java.util.ArrayList<>();
    for (int i = 1; i < attempts.size(); i++) {
      long base = 100L << (i - 1);
      long gapMillis = (attempts.get(i) - attempts.get(i - 1)) / 1_000_000;
      assertThat(gapMillis).as("wait before attempt %d", i + 1).isBetween(base / 2 - 1, base + 150);
      shares.add((double) gapMillis / base);
    }
    // Jitter: scheduling only lengthens a wait, so a wait under 95 % of its base was drawn short. All four drawn
    // within the top 10 % of the jitter range has a chance of 1 in 10 000.
    assertThat(shares).as("waits as shares of their bases").anyMatch(share -> share < 0.95);
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
