package io.edgeai4j.inference.module.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReassemblerTest {
  private static final long SECOND = 1_000_000_000L;

  private static byte[] payload(int n) {
    byte[] b = new byte[n];
    new SplittableRandom(n).nextBytes(b);
    return b;
  }

  /** The chunks as the hub delivers them: stamped with the sender's device and module. */
  private static List<EdgeMessage> chunks(byte[] payload, String set, Map<String, String> properties) {
    List<EdgeMessage> out = new ArrayList<>();
    for (EdgeMessage m : ActivationChunks.split(payload, "m-part-1", set, properties, "c-" + set)) {
      out.add(m.toBuilder().systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "sensor")
          .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "inference").build());
    }
    return out;
  }

  @Test
  void aPayloadOverOneMessageIsSplitIntoChunksEachWithinEdgeHubsLimitWithItsProperties() {
    byte[] payload = payload(700_000);
    List<EdgeMessage> chunks = ActivationChunks.split(payload, "m-part-1", "s1", Map.of("label", "outerRace",
        "sentAt", "2026-12-07T10:00:00Z", "chunkIndex", "user's"), "c-1");

    assertThat(chunks).hasSize(3);
    for (int i = 0; i < chunks.size(); i++) {
      EdgeMessage c = chunks.get(i);
      assertThat(ActivationChunks.wireSize(c)).isLessThanOrEqualTo(ActivationChunks.MESSAGE_LIMIT
          - ActivationChunks.HUB_RESERVE);
      assertThat(c.properties()).containsEntry("model", "m-part-1").containsEntry("activationSet", "s1")
          .containsEntry("chunkIndex", Integer.toString(i)).containsEntry("chunkCount", "3")
          .containsEntry("label", "outerRace").containsEntry("sentAt", "2026-12-07T10:00:00Z");
      assertThat(c.correlationId()).contains("c-1");
      assertThat(c.contentType()).contains("application/octet-stream");
    }
    assertThat(chunks.get(0).bodyLength() + chunks.get(1).bodyLength() + chunks.get(2).bodyLength())
        .isEqualTo(payload.length);
    assertThat(ActivationChunks.split(new byte[100], "n", "s", Map.of(), null)).hasSize(1);
    assertThatThrownBy(() -> ActivationChunks.split(new byte[100], "n", "s", Map.of("big", "x".repeat(261_000)),
        null)).hasMessageContaining("the request's properties take").hasMessageContaining("send fewer or shorter");
  }

  @ParameterizedTest(name = "order {0}")
  @CsvSource({"'0,1,2'", "'2,0,1'", "'1,1,2,0,2'", "'2,2,2,1,0,0'"})
  void chunksInAnyOrderAndRepeatedCompleteTheirSetOnceWithThePayloadInOrder(String order) throws Exception {
    byte[] payload = payload(600_000);
    List<EdgeMessage> chunks = chunks(payload, "s", Map.of());
    assertThat(chunks).hasSize(3);
    Reassembler r = new Reassembler(Duration.ofSeconds(10), 64);
    List<Reassembler.Complete> complete = new ArrayList<>();
    int duplicates = 0;
    for (String i : order.split(",")) {
      Reassembler.Outcome o = r.offer(chunks.get(Integer.parseInt(i)), 0);
      if (o instanceof Reassembler.Complete c) {
        complete.add(c);
      } else if (o instanceof Reassembler.Duplicate) {
        duplicates++;
      }
    }
    assertThat(complete).singleElement().satisfies(c -> {
      assertThat(c.payload()).isEqualTo(payload);
      assertThat(c.key()).isEqualTo(new Reassembler.Key("sensor/inference", "s"));
    });
    assertThat(duplicates).isEqualTo(order.split(",").length - 3);
    assertThat(r.pendingSets()).isZero();
    // A late duplicate of a completed set does not start a new set.
    assertThat(r.offer(chunks.get(1), 0)).isInstanceOf(Reassembler.Duplicate.class);
    assertThat(r.pendingSets()).isZero();
  }

  @Test
  void aSetMissingAChunkTimesOutNamingTheChunksReceivedAndMissing() throws Exception {
    List<EdgeMessage> chunks = chunks(payload(800_000), "lost", Map.of());
    assertThat(chunks).hasSize(4);
    Reassembler r = new Reassembler(Duration.ofMillis(500), 64);
    r.offer(chunks.get(0), 0);
    r.offer(chunks.get(3), SECOND / 10);
    assertThat(r.expire(SECOND / 2 - 1)).isEmpty();
    List<Reassembler.Dropped> dropped = r.expire(SECOND / 2);
    assertThat(dropped).singleElement().satisfies(d -> {
      assertThat(d.reason()).isEqualTo(Reassembler.Reason.TIMEOUT);
      assertThat(d.received()).containsExactly(0, 3);
      assertThat(d.missing()).containsExactly(1, 2);
      assertThat(d.count()).isEqualTo(4);
      assertThat(d.first().correlationId()).contains("c-lost");
    });
    assertThat(r.pendingSets()).isZero();
  }

  @Test
  void overMaxPendingSetsTheOldestIsDropped() throws Exception {
    Reassembler r = new Reassembler(Duration.ofSeconds(10), 2);
    r.offer(chunks(payload(300_000), "a", Map.of()).get(0), 0);
    r.offer(chunks(payload(300_000), "b", Map.of()).get(1), 1);
    Reassembler.Outcome third = r.offer(chunks(payload(300_000), "c", Map.of()).get(0), 2);
    assertThat(third).isInstanceOfSatisfying(Reassembler.Pending.class, p -> assertThat(p.overflowed())
        .singleElement().satisfies(d -> {
          assertThat(d.key().set()).isEqualTo("a");
          assertThat(d.reason()).isEqualTo(Reassembler.Reason.OVERFLOW);
          assertThat(d.missing()).containsExactly(1);
        }));
    assertThat(r.pendingSets()).isEqualTo(2);
  }

  @Test
  void stoppingDrainsEveryPendingSetSoEachIsAnswered() throws Exception {
    Reassembler r = new Reassembler(Duration.ofSeconds(10), 64);
    r.offer(chunks(payload(300_000), "a", Map.of()).get(0), 0);
    r.offer(chunks(payload(300_000), "b", Map.of()).get(1), 0);
    assertThat(r.drain(SECOND)).extracting(d -> d.key().set() + " " + d.reason() + " " + d.missing())
        .containsExactly("a STOPPED [1]", "b STOPPED [0]");
    assertThat(r.pendingSets()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no set id         | activationSet |       | without its 'activationSet' property
      index not a number| chunkIndex    | one   | property 'chunkIndex' must be an integer 0 to 1, found 'one'
      index too large   | chunkIndex    | 2     | property 'chunkIndex' must be an integer 0 to 1, found '2'
      count 0           | chunkCount    | 0     | property 'chunkCount' must be an integer 1 to 1024, found '0'
      count changed     | chunkCount    | 3     | chunk 1 says chunkCount 3, earlier chunks said 2
      """)
  void aChunkWhosePropertiesAreWrongIsRefusedAndEndsItsSet(String what, String property, String value,
      String expected) throws Exception {
    List<EdgeMessage> chunks = chunks(payload(300_000), "s", Map.of());
    Reassembler r = new Reassembler(Duration.ofSeconds(10), 64);
    r.offer(chunks.get(0), 0);
    EdgeMessage.Builder bad = chunks.get(1).toBuilder();
    bad.property(property, value == null ? null : value);
    EdgeMessage chunk = bad.build();
    assertThatThrownBy(() -> r.offer(chunk, 1)).isInstanceOf(Reassembler.BadChunkException.class)
        .hasMessageContaining(expected);
    if (!property.equals("activationSet")) {
      assertThat(r.pendingSets()).isZero();
    }
  }
}
