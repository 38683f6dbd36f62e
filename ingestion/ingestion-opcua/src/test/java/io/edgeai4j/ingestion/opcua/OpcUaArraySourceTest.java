package io.edgeai4j.ingestion.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Array nodes of a real Milo server on 127.0.0.1 become sample blocks, or dead-letter readings with the reason. */
class OpcUaArraySourceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path temp;

  private TestOpcUaServer server;
  private SensorSource source;

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void arrayNodesBecomeBlocksWithTheSourceTimestampsAndTheConfiguredRate() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    RecordingSourceContext context = new RecordingSourceContext("press", temp.resolve("state"))
        .withSampleRate("vibration", MachineNamespace.VIBRATION_SAMPLES)
        .withSampleRate("counts", 4)
        .withSampleRate("matrix", 6)
        .withSampleRate("empty", 1);
    start(context, nodes -> {
      node(nodes, "vibration", "ns=2;s=Machine/Vibration").put("unit", "mm/s");
      node(nodes, "counts", "ns=2;s=Machine/Counts");
      node(nodes, "norate", "ns=2;s=Machine/Vibration");
      node(nodes, "matrix", "ns=2;s=Machine/Matrix");
      node(nodes, "empty", "ns=2;s=Machine/Empty");
    });

    await().atMost(PATIENCE).until(() -> blocks(context, "vibration").size() >= 5
        && blocks(context, "counts").size() >= 5 && !context.readings("norate").isEmpty()
        && !context.readings("matrix").isEmpty() && !context.readings("empty").isEmpty());

    List<SampleBlock> vibration = blocks(context, "vibration");
    for (SampleBlock block : vibration) {
      long tick = Duration.between(MachineNamespace.BASE_TIME, block.start()).toSeconds();
      assertThat(block.start()).isEqualTo(TestOpcUaServer.sourceTimeOf(tick));
      assertThat(block.sampleRateHz()).isEqualTo(MachineNamespace.VIBRATION_SAMPLES);
      assertThat(block.unit()).isEqualTo("mm/s");
      assertThat(block.size()).isEqualTo(MachineNamespace.VIBRATION_SAMPLES);
      for (int k = 0; k < block.size(); k++) {
        assertThat(block.values()[k]).isEqualTo(MachineNamespace.vibration(tick, k));
      }
      assertThat(block.properties()).containsEntry(DataValueConversion.NODE_ID_PROPERTY, "ns=2;s=Machine/Vibration")
          .containsEntry(DataValueConversion.TIMESTAMP_SOURCE_PROPERTY, "source");
    }
    assertThat(vibration).extracting(SampleBlock::start).isSorted().doesNotHaveDuplicates();
    // One second of samples per tick at 100 Hz: a block ends where the next tick's block starts.
    assertThat(vibration.get(0).timeOf(MachineNamespace.VIBRATION_SAMPLES)).isEqualTo(
        vibration.get(0).start().plusSeconds(1));

    for (SampleBlock block : blocks(context, "counts")) {
      long tick = Duration.between(MachineNamespace.BASE_TIME, block.start()).toSeconds();
      assertThat(block.values()).containsExactly(tick, tick + 1, tick + 2, tick + 3);
    }
    assertThat(context.readings("vibration")).isEmpty();
    assertThat(context.readings("counts")).isEmpty();

    Reading noRate = context.readings("norate").get(0);
    assertThat(noRate.value()).isNull();
    assertThat(noRate.properties()).containsEntry(DataValueConversion.ERROR_PROPERTY,
        "an array of 100 samples needs a sample rate to become a block; set sensors.norate.sampleRateHz in the module"
            + " twin");
    assertThat(context.readings("matrix").get(0).properties().get(DataValueConversion.ERROR_PROPERTY))
        .isEqualTo("a matrix of 2x3 values; expected a one-dimensional numeric array (multidimensional values are not"
            + " sampled)");
    assertThat(context.readings("empty").get(0).properties().get(DataValueConversion.ERROR_PROPERTY))
        .startsWith("an empty array ").endsWith("; a block needs at least one sample");
    assertThat(blocks(context, "norate")).isEmpty();
    assertThat(blocks(context, "matrix")).isEmpty();
    assertThat(blocks(context, "empty")).isEmpty();
  }

  private void start(RecordingSourceContext context, java.util.function.Consumer<ObjectNode> nodes) throws Exception {
    ObjectNode settings = SettingsBinder.mapper().createObjectNode();
    settings.put("endpoint", server.endpointUrl());
    settings.put("securityPolicy", "None");
    settings.put("publishingIntervalMillis", 100);
    nodes.accept(settings.putObject("nodes"));
    OpcUaSourceProvider provider = new OpcUaSourceProvider();
    source = provider.create(provider.parse(settings), context);
    source.start();
  }

  private static ObjectNode node(ObjectNode nodes, String sensor, String nodeId) {
    ObjectNode node = nodes.putObject(sensor);
    node.put("nodeId", nodeId);
    return node;
  }

  private static List<SampleBlock> blocks(RecordingSourceContext context, String sensor) {
    return context.blocks().stream().filter(block -> block.sensor().equals(sensor)).toList();
  }
}
