package io.edgeai4j.buffer;

import static io.edgeai4j.buffer.TestRecords.producerOf;
import static io.edgeai4j.buffer.TestRecords.record;
import static io.edgeai4j.buffer.TestRecords.sequenceOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBufferConcurrencyTest {
  private static final int PRODUCERS = 4;
  private static final int PER_PRODUCER = 5000;

  @TempDir
  Path directory;

  private final ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS + 1);

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everyRecordArrivesExactlyOnceInEachProducersOrder() throws Exception {
    DiskBufferOptions options = DiskBufferOptions.builder(directory).segmentBytes(64 * 1024).build();
    try (DiskBuffer buffer = DiskBuffer.open(options)) {
      List<Future<?>> producers = startProducers(buffer);
      Future<int[]> consumer = threads.submit(() -> {
        int[] next = new int[PRODUCERS];
        for (int received = 0; received < PRODUCERS * PER_PRODUCER; received++) {
          assertThat(buffer.awaitRecord(Duration.ofSeconds(20))).as("a record within 20 s").isTrue();
          byte[] record = buffer.peek();
          assertThat(sequenceOf(record)).as("producer %d's next", producerOf(record))
              .isEqualTo(next[producerOf(record)]++);
          assertThat(record).isEqualTo(record(producerOf(record), sequenceOf(record), sizeOf(sequenceOf(record))));
          assertThat(buffer.remove()).isTrue();
        }
        return next;
      });
      for (Future<?> producer : producers) {
        producer.get(60, TimeUnit.SECONDS);
      }
      assertThat(consumer.get(60, TimeUnit.SECONDS)).containsOnly(PER_PRODUCER);
      assertThat(buffer.isEmpty()).isTrue();
      assertThat(buffer.droppedRecords()).isZero();
    }
  }

  @Test
  void underDropOldestNoRecordIsDuplicatedReorderedOrLostUncounted() throws Exception {
    DiskBufferOptions options = DiskBufferOptions.builder(directory).segmentBytes(8192).maxBytes(32 * 1024).build();
    try (DiskBuffer buffer = DiskBuffer.open(options)) {
      List<Future<?>> producers = startProducers(buffer);
      AtomicBoolean producing = new AtomicBoolean(true);
      Future<Integer> consumer = threads.submit(() -> {
        int[] last = {-1, -1, -1, -1};
        int received = 0;
        while (producing.get() || !buffer.isEmpty()) {
          if (!buffer.awaitRecord(Duration.ofMillis(50))) {
            continue;
          }
          byte[] record = buffer.peek();
          if (record == null) {
            continue; // dropped between the wait and the peek
          }
          int producer = producerOf(record);
          assertThat(sequenceOf(record)).as("producer %d in order, once", producer).isGreaterThan(last[producer]);
          last[producer] = sequenceOf(record);
          received++;
          buffer.remove();
        }
        return received;
      });
      for (Future<?> producer : producers) {
        producer.get(60, TimeUnit.SECONDS);
      }
      producing.set(false);
      int received = consumer.get(60, TimeUnit.SECONDS);

      assertThat(buffer.droppedRecords()).as("every record not received is counted as dropped")
          .isGreaterThanOrEqualTo(PRODUCERS * PER_PRODUCER - received);
      assertThat(buffer.isEmpty()).isTrue();
    }
  }

  private List<Future<?>> startProducers(DiskBuffer buffer) {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      producers.add(threads.submit((Callable<Void>) () -> {
        start.await();
        for (int i = 0; i < PER_PRODUCER; i++) {
          assertThat(buffer.append(record(producer, i, sizeOf(i))).stored()).isTrue();
        }
        return null;
      }));
    }
    start.countDown();
    return producers;
  }

  private static int sizeOf(int sequence) {
    return 8 + sequence % 200;
  }
}
