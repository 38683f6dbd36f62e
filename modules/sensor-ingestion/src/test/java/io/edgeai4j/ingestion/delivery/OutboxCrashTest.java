package io.edgeai4j.ingestion.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.ingestion.config.DeliveryConfig;
import io.edgeai4j.ingestion.pipeline.IngestionMetrics;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.TransportException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox in a child JVM ({@link OutboxChild}) killed with {@code destroyForcibly()} (SIGKILL) while it takes
 * and sends messages, then started again: every message whose {@code offer} returned reaches the hub.
 */
class OutboxCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxCrashTest.class);
  private static final Pattern ACCEPTED = Pattern.compile("accepted (\\d+)");

  @TempDir Path dir;

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void aKilledOutboxLosesNoMessageItTookAndSendsEachAgainAtMostOncePerKill() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int kills = 3;
    Set<Integer> accepted = new LinkedHashSet<>();
    try (LoopbackHub hub = new LoopbackHub(0.05, seed)) {
      for (int round = 0; round < kills; round++) {
        Child child = start(hub.port(), round * 1_000_000, 1500);
        // The first round is killed while it sends its backlog, the others at a random point while they take and send.
        child.awaitLine(round == 0 ? "produced" : "accepted " + round * 1_000_000);
        long killAfterMillis = random.nextInt(round == 0 ? 50 : 200);
        await().pollDelay(Duration.ofMillis(killAfterMillis)).atMost(Duration.ofSeconds(5)).until(() -> true);
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<Integer> took = child.accepted();
        LOG.info("round {}: killed {} ms after {}, after {} offers; the hub has {} deliveries so far", round,
            killAfterMillis, round == 0 ? "the last offer" : "the first", took.size(), hub.delivered().size());
        accepted.addAll(took);
      }
      Child drain = start(hub.port(), 0, 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> delivered(hub).containsAll(accepted));
      drain.process.destroyForcibly();
      drain.process.waitFor(20, TimeUnit.SECONDS);

      List<LoopbackHub.Delivery> deliveries = hub.delivered();
      Set<Integer> distinct = delivered(hub);
      int duplicates = deliveries.size() - distinct.size();
      LOG.info("seed {}: {} kills, {} messages taken, {} delivered, {} duplicates", seed, kills, accepted.size(),
          deliveries.size(), duplicates);
      assertThat(accepted).as("messages taken before the kills (seed %d)", seed).hasSizeGreaterThanOrEqualTo(1500);
      assertThat(distinct).as("none lost (seed %d)", seed).containsAll(accepted);
      assertThat(duplicates).as("at most the one message in flight per kill is sent again (seed %d)", seed)
          .isLessThanOrEqualTo(kills);
      Map<Integer, String> idByNumber = new HashMap<>();
      for (LoopbackHub.Delivery d : deliveries) {
        assertThat(idByNumber.computeIfAbsent(d.n(), n -> d.messageId())).as("message id of %d", d.n())
            .isEqualTo(d.messageId());
      }
      assertThat(new ArrayList<>(distinct)).as("first deliveries in the order taken").isSorted();
    }
  }

  @Test
  void messagesSavedAtAStopSurviveAKillOfTheNextStartBeforeTheyAreSent() throws Exception {
    List<Integer> delivered = new CopyOnWriteArrayList<>();
    boolean[] hubDown = {true};
    Outbox.Sender hub = (output, message) -> {
      if (hubDown[0]) {
        throw new TransportException("edgeHub unreachable", true, null);
      }
      delivered.add(Integer.parseInt(message.property("n").orElseThrow()));
    };
    try (Outbox first = open(hub)) {  // a graceful stop with messages waiting
      first.start();
      for (int n = 0; n < 8; n++) {
        first.offer(new OutgoingMessage("readings", EdgeMessage.builder().jsonBody("{}")
            .property("n", Integer.toString(n)).build()));
      }
    }

    Child second = start(0, 100, 0);  // starts over them, its hub down, and is killed before it sends any
    second.awaitLine("attempted");
    second.process.destroyForcibly();
    assertThat(second.process.waitFor(20, TimeUnit.SECONDS)).isTrue();

    hubDown[0] = false;
    try (Outbox third = open(hub)) {
      third.start();
      assertThat(third.awaitEmpty(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(delivered).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
  }

  private Outbox open(Outbox.Sender hub) throws IOException {
    return Outbox.open(hub, dir, DeliveryConfig.of(3, null, null, null), "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"));
  }

  private static Set<Integer> delivered(LoopbackHub hub) {
    Set<Integer> numbers = new LinkedHashSet<>();
    hub.delivered().forEach(d -> numbers.add(d.n()));
    return numbers;
  }

  private Child start(int port, int first, int count) throws IOException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-cp", System.getProperty("java.class.path"),
        OutboxChild.class.getName(), dir.toString(), Integer.toString(port), Integer.toString(first),
        Integer.toString(count)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    children.add(process);
    return new Child(process);
  }

  /** A child JVM and the lines of its standard output, read as they come. */
  private static final class Child {
    final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    Child(Process process) {
      this.process = process;
      this.reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, "child-output");
      reader.setDaemon(true);
      reader.start();
    }

    void awaitLine(String line) {
      await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains(line) || !process.isAlive());
      assertThat(lines).as("output of the child").contains(line);
    }

    /** Every number the child printed as taken, once its output has ended. */
    List<Integer> accepted() throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(20));
      List<Integer> numbers = new ArrayList<>();
      for (String line : lines) {
        Matcher m = ACCEPTED.matcher(line);
        if (m.matches()) {
          numbers.add(Integer.parseInt(m.group(1)));
        }
      }
      return numbers;
    }
  }
}
