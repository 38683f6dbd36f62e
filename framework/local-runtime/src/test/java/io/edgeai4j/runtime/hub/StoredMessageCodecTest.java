package io.edgeai4j.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.module.EdgeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoredMessageCodecTest {
  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      // body,   property value, expires,                source
      "'{}',     v,              2026-12-07T12:00:00.123456789Z, /messages/modules/a/outputs/o",
      "'',       NULL,           NULL,                   /twinChangeNotifications",
      "'größe ✓', '',            1970-01-01T00:00:00Z,   /messages/modules/b/",
  })
  void aMessageComesBackAsItWasStored(String body, String value, String expires, String source) throws Exception {
    EdgeMessage message = EdgeMessage.builder().body(body.getBytes(StandardCharsets.UTF_8)).property("p", value)
        .property("q", "2").messageId("id-1").correlationId("c").systemProperty("enqueuedTime", "t").build();
    QueuedMessage queued = new QueuedMessage(message, source, 3, Instant.parse("2026-12-07T10:00:00.5Z"),
        expires == null ? null : Instant.parse(expires), 42);

    QueuedMessage back = StoredMessageCodec.decode(StoredMessageCodec.encode(queued));

    assertThat(back).isEqualTo(queued);
    assertThat(back.message().properties().keySet()).containsExactly("p", "q");
  }

  @ParameterizedTest
  @CsvSource({
      "2,  0, 'format version 2, expected version 1'",
      "1,  5, 'ends early'",
      "1, -1, 'bytes follow the body'",
  })
  void aRecordThatIsNotOneOfThisVersionIsRefusedSayingWhy(int version, int cut, String expected) {
    QueuedMessage queued = new QueuedMessage(EdgeMessage.builder().body(new byte[] {1, 2}).build(), "/s", 0,
        Instant.EPOCH, null, 1);
    byte[] record = StoredMessageCodec.encode(queued);
    record[0] = (byte) version;
    byte[] damaged = cut >= 0 ? Arrays.copyOf(record, record.length - cut) : Arrays.copyOf(record, record.length + 1);

    assertThatThrownBy(() -> StoredMessageCodec.decode(damaged)).isInstanceOf(IOException.class)
        .hasMessageContaining(expected);
  }
}
