package io.edgeai4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EdgeMessageTest {
  @Test
  void bodyStreamReadsTheWholeBodyFromTheStartOnEveryCall() throws Exception {
    EdgeMessage message = EdgeMessage.text("héllo");
    byte[] expected = "héllo".getBytes(StandardCharsets.UTF_8);

    try (InputStream first = message.bodyStream()) {
      assertThat(first.read()).isEqualTo('h');
    }
    try (InputStream second = message.bodyStream()) {
      assertThat(second.readAllBytes()).isEqualTo(expected);
    }
    assertThat(EdgeMessage.builder().build().bodyStream().read()).isEqualTo(-1);
  }
}
