package io.edgeai4j.ingestion.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplaySourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ReplayProvider provider = new ReplayProvider();
  @TempDir Path dir;

  private ReplaySettings settings(String json) throws Exception {
    return (ReplaySettings) provider.parse((ObjectNode) JSON.readTree(json));
  }

  private RecordingSourceContext replay(ReplaySettings settings) throws Exception {
    RecordingSourceContext context = new RecordingSourceContext("rec", dir.resolve("state"));
    try (SensorSource source = provider.create(settings, context)) {
      source.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> context.lastState() == SourceState.FINISHED
          || context.lastState() == SourceState.FAILED);
    }
    return context;
  }

  @Test
  void replaysCsvRowsAsReadingsWithRecordedTimestamps() throws Exception {
    Path file = Files.writeString(dir.resolve("plant.csv"), """
        timestamp,temperature,pressure,state
        2026-11-28T10:00:00Z,21.5,1.01,true
        2026-11-28T10:00:01Z,21.7,,false
        1795860002000,oops,1.03,true
        """);
    RecordingSourceContext context = replay(settings("""
        {"file": "%s", "speed": 1000, "retime": false, "units": {"temperature": "degC"}}""".formatted(file)));
    List<Reading> readings = context.readings();
    assertThat(readings).extracting(Reading::sensor).containsExactly(
        "temperature", "pressure", "state", "temperature", "state", "temperature", "pressure", "state");
    assertThat(readings.get(0).value()).isEqualTo(21.5);
    assertThat(readings.get(0).unit()).isEqualTo("degC");
    assertThat(readings.get(0).timestamp()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    assertThat(readings.get(2).value()).isEqualTo(true);
    // Text where a number belongs is passed on as text: validation dead-letters it with the reason.
    assertThat(readings.get(5).value()).isEqualTo("oops");
    assertThat(readings.get(5).timestamp()).isEqualTo(Instant.ofEpochMilli(1795860002000L));
    assertThat(context.lastState()).isEqualTo(SourceState.FINISHED);
  }

  @Test
  void replaysJsonLinesOfReadingsRowsAndBlocksAndNamesUnreadableLines() throws Exception {
    Path file = Files.writeString(dir.resolve("rec.jsonl"), """
        {"timestamp": "2026-11-28T10:00:00Z", "sensor": "current", "value": 12.5, "unit": "A"}
        {"timestamp": "2026-11-28T10:00:00.100Z", "temperature": 40}
        this is not json
        {"sensor": "vibration", "start": "2026-11-28T10:00:00.200Z", "sampleRateHz": 1000, "values": [0.1, -0.2, 0.3]}
        {"sensor": "current", "value": 1}
        """);
    RecordingSourceContext context = replay(settings("{\"file\": \"%s\", \"speed\": 100}".formatted(file)));
    assertThat(context.readings()).extracting(Reading::sensor).containsExactly("current", "temperature");
    assertThat(context.readings().get(1).value()).isEqualTo(40L);
    List<SampleBlock> blocks = context.blocks();
    assertThat(blocks).hasSize(1);
    assertThat(blocks.get(0).values()).containsExactly(0.1, -0.2, 0.3);
    assertThat(blocks.get(0).sampleRateHz()).isEqualTo(1000);
    // Retimed: 200 ms recorded is 2 ms at speed 100, starting from now.
    Duration gap = Duration.between(context.readings().get(0).timestamp(), blocks.get(0).start());
    assertThat(gap).isEqualTo(Duration.ofMillis(2));
    assertThat(context.states()).extracting(RecordingSourceContext.StateChange::detail)
        .anyMatch(d -> d != null && d.startsWith("skipped 1 unreadable line(s); last: line 3: Unrecognized token 'this'"));
    assertThat(context.states().get(context.states().size() - 1).detail())
        .startsWith("skipped 2 unreadable line(s); last: line 5: no field 'timestamp'");
  }

  @Test
  void pacesByRecordedTimeDividedBySpeed() throws Exception {
    Path file = Files.writeString(dir.resolve("slow.jsonl"), """
        {"timestamp": 0, "sensor": "s", "value": 1}
        {"timestamp": 10000, "sensor": "s", "value": 2}
        """.replace("\"timestamp\": 0", "\"timestamp\": 1795860000000").replace("10000", "1795860010000"));
    long start = System.nanoTime();
    RecordingSourceContext context = replay(settings("{\"file\": \"%s\", \"speed\": 20}".formatted(file)));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(context.readings()).hasSize(2);
    // 10 s recorded at speed 20 is 500 ms; the pacing must not run ahead of it.
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(500);
    assertThat(Duration.between(context.readings().get(0).timestamp(), context.readings().get(1).timestamp()))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void loopsUntilClosed() throws Exception {
    Path file = Files.writeString(dir.resolve("loop.jsonl"),
        "{\"timestamp\": 1795860000000, \"sensor\": \"s\", \"value\": 1}\n");
    RecordingSourceContext context = new RecordingSourceContext("rec", dir.resolve("state"));
    SensorSource source = provider.create(settings("{\"file\": \"%s\", \"loop\": true}".formatted(file)), context);
    source.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> context.readings().size() >= 5);
    source.close();
    source.close();
    int after = context.readings().size();
    assertThat(context.lastState()).isEqualTo(SourceState.CONNECTED);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("replay-rec"));
    assertThat(context.readings()).hasSize(after);
  }

  @Test
  void aLoopOverARecordingWithNothingReadableFailsInsteadOfSpinning() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.csv"), "timestamp,temperature\n");
    RecordingSourceContext context = replay(settings("{\"file\": \"%s\", \"loop\": true}".formatted(file)));
    assertThat(context.lastState()).isEqualTo(SourceState.FAILED);
    assertThat(context.states().get(context.states().size() - 1).detail()).contains("has no readable record");
  }

  @Test
  void aMissingFileFailsAtStartNamingIt() throws Exception {
    SensorSource source = provider.create(settings("{\"file\": \"/nowhere/rec.csv\"}"),
        new RecordingSourceContext("rec", dir));
    assertThatThrownBy(source::start).hasMessageContaining("/nowhere/rec.csv does not exist or cannot be read");
    source.close();
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of("{}", "file", "Missing required creator property 'file'"),
        Arguments.of("{\"file\": \"rec.txt\"}", "", "cannot tell the format of 'rec.txt'"),
        Arguments.of("{\"file\": \"rec.csv\", \"speed\": 0}", "", "speed must be above 0 and at most 10000, found 0.0"),
        Arguments.of("{\"file\": \"rec.csv\", \"format\": \"xml\"}", "format", "format must be csv or jsonl, found 'xml'"),
        Arguments.of("{\"file\": \"rec.csv\", \"columns\": {\"a.b\": \"x\"}}", "", "sensor name 'a.b' is not a valid twin key"),
        Arguments.of("{\"file\": \"rec.csv\", \"sped\": 2}", "sped", "Unrecognized field \"sped\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void badSettingsNameTheField(String json, String path, String reason) {
    assertThatThrownBy(() -> settings(json)).isInstanceOfSatisfying(SourceConfigException.class, e -> {
      assertThat(e.path()).isEqualTo(path);
      assertThat(e.reason()).contains(reason);
    });
  }
}
