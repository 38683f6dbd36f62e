package io.edgeai4j.runtime.hub;

import static io.edgeai4j.runtime.hub.StoreTestSupport.options;
import static io.edgeai4j.runtime.hub.StoreTestSupport.toConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingModule;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingUpstream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub killed with SIGKILL while it stores messages loses none it accepted and yields no corrupt one. */
class HubStoreKillTest {
  private static final int ACCEPTED_BEFORE_KILL = 1500;

  @TempDir
  Path temp;

  @Test
  void killedMidRunTheStoreKeepsEveryAcceptedMessageIntact() throws Exception {
    Path store = temp.resolve("store");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PublishUntilKilled.class.getName(), store.toString())
        .redirectError(temp.resolve("child-stderr.txt").toFile()).start();
    List<String> accepted = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (accepted.size() < ACCEPTED_BEFORE_KILL && (line = out.readLine()) != null) {
        accepted.add(line);
      }
      // SIGKILL, in the middle of the loop; through the handle, which (unlike Process's) leaves stdout readable.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      while ((line = out.readLine()) != null) { // what it printed before it died
        accepted.add(line);
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(accepted).as("accepted before the kill; see child-stderr.txt")
        .hasSizeGreaterThanOrEqualTo(ACCEPTED_BEFORE_KILL);
    assertThat(accepted).containsExactlyElementsOf(
        IntStream.range(0, accepted.size()).mapToObj(i -> "k-" + i).toList());

    RouteSpec route = toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null);
    try (LocalEdgeHub reopened = new LocalEdgeHub(
        options(store, new RecordingUpstream(true), Clock.systemUTC(), route).build(), new PrometheusRegistry())) {
      int stored = reopened.queueLengths().get("consumer/in");
      // The kill may come after a message was stored and before its id was printed: at most that one more.
      assertThat(stored).isBetween(accepted.size(), accepted.size() + 1);
      RecordingModule consumer = RecordingModule.completing();
      try (var link = consumer.connect(reopened, "consumer")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.offered.size() >= stored);
        for (int i = 0; i < consumer.offered.size(); i++) {
          EdgeMessage got = consumer.offered.get(i);
          EdgeMessage sent = PublishUntilKilled.message(i);
          assertThat(got.messageId()).contains("k-" + i);
          assertThat(got.body()).isEqualTo(sent.body());
          assertThat(got.properties()).isEqualTo(sent.properties());
        }
        assertThat(consumer.offered).hasSize(stored);
      }
    }
  }
}
