package io.edgeai4j.ingestion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.ingestion.config.DeadLetterConfig;
import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.config.WindowConfig;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensorChannelTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant NOW = T0.plusSeconds(3600);
  private final List<OutgoingMessage> sent = new ArrayList<>();
  private final IngestionMetrics metrics = IngestionMetrics.forRegistry(new PrometheusRegistry());
  private final DeadLetterAggregator deadLetters = new DeadLetterAggregator(sent::add, DeadLetterConfig.DEFAULT,
      metrics, "m");
  private final SensorChannel channel = new SensorChannel("v", SensorConfig.of(null, null, null, null, null, null,
      null, WindowConfig.of(4, 4), null, null, 0, null, null, null), sent::add, deadLetters, metrics, "m");

  private static SampleBlock block(Instant start, double... values) {
    return new SampleBlock("v", start, 1, values, null, Map.of());
  }

  private List<JsonNode> bodies(String output) {
    return sent.stream().filter(m -> m.output().equals(output)).map(m -> m.message().bodyAsJson()).toList();
  }

  @Test
  void windowsSpanContiguousBlocksAndStartAgainAfterAGap() {
    channel.accept("s", block(T0, 1, 2, 3), NOW);
    channel.accept("s", block(T0.plusSeconds(3), 4, 5, 6), NOW);
    assertThat(bodies("features")).hasSize(1);
    JsonNode first = bodies("features").get(0);
    assertThat(first.get("windowStart").asText()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(first.get("windowEnd").asText()).isEqualTo("2026-11-28T10:00:03Z");
    assertThat(first.get("mean").asDouble()).isEqualTo(2.5);
    assertThat(first.has("timing")).as("blocks carry their own time base").isFalse();
    // Samples 5 and 6 wait for the next window; a block 10 s later cannot continue it.
    channel.accept("s", block(T0.plusSeconds(16), 7, 8, 9, 10), NOW);
    JsonNode second = bodies("features").get(1);
    assertThat(second.get("windowStart").asText()).isEqualTo("2026-11-28T10:00:16Z");
    assertThat(second.get("mean").asDouble()).isEqualTo(8.5);
  }

  @Test
  void slidingWindowsSendTheirRawSamplesOnTheWindowsOutput() {
    List<OutgoingMessage> out = new ArrayList<>();
    SensorChannel sliding = new SensorChannel("v", SensorConfig.of(null, "g", null, null, null, null, null,
        WindowConfig.of(4, 2), null, null, 0, null, false, true), out::add, deadLetters, metrics, "m");
    sliding.accept("s", block(T0, 1, 2, 3, 4, 5, 6), NOW);
    assertThat(out).extracting(OutgoingMessage::output).containsExactly("windows", "windows");
    JsonNode second = out.get(1).message().bodyAsJson();
    assertThat(second.get("values")).extracting(JsonNode::asDouble).containsExactly(3.0, 4.0, 5.0, 6.0);
    assertThat(second.get("windowStart").asText()).isEqualTo("2026-11-28T10:00:02Z");
    assertThat(second.get("unit").asText()).isEqualTo("g");
    assertThat(out.get(1).message().contentType()).contains("application/json");
    assertThat(out.get(1).message().contentEncoding()).contains("utf-8");
  }

  @Test
  void readingsAfterBlocksStartANewWindowInsteadOfMixingThem() {
    channel.accept("s", block(T0, 1, 2, 3), NOW);
    for (int i = 0; i < 4; i++) {
      channel.accept("s", Reading.of("v", T0.plusSeconds(10 + i), 10 + i), NOW);
    }
    assertThat(bodies("features")).hasSize(1);
    assertThat(bodies("features").get(0).get("windowStart").asText()).isEqualTo("2026-11-28T10:00:10Z");
    assertThat(bodies("features").get(0).get("mean").asDouble()).isEqualTo(11.5);
  }

  @Test
  void aSecondSourceFeedingTheSameSensorIsDeadLetteredUntilTheFirstIsGone() {
    channel.accept("a", Reading.of("v", T0, 1), NOW);
    channel.accept("b", Reading.of("v", T0.plusSeconds(1), 2), NOW);
    deadLetters.flushAll(NOW);
    JsonNode conflict = bodies("deadletter").get(0);
    assertThat(conflict.get("check").asText()).isEqualTo("conflict");
    assertThat(conflict.get("source").asText()).isEqualTo("b");
    assertThat(conflict.at("/firstExample/reason").asText()).isEqualTo("sensor 'v' is already fed by source 'a', found a reading"
        + " from source 'b'; a sensor name must be unique across sources");
    channel.release(Set.of("b"));
    channel.accept("b", Reading.of("v", T0.plusSeconds(2), 3), NOW);
    deadLetters.flushAll(NOW);
    assertThat(bodies("deadletter")).hasSize(1);
  }

  @Test
  void longTextInADeadLetterIsCutSoTheMessageStaysSmall() {
    channel.accept("s", new Reading("v", T0, "x".repeat(300_000), null, Map.of()), NOW);
    deadLetters.flushAll(NOW);
    OutgoingMessage dead = sent.get(0);
    assertThat(dead.output()).isEqualTo("deadletter");
    assertThat(dead.message().sizeInBytes()).isLessThan(4096);
    assertThat(dead.message().bodyAsJson().at("/firstExample/value").asText()).endsWith("...");
  }
}
