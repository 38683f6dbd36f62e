package io.edgeai4j.module.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class TwinDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theDocumentsCannotBeChangedThroughTheConstructorArgumentsOrTheAccessors() {
    ObjectNode desired = JSON.createObjectNode().put("threshold", 5).put(TwinDocument.VERSION, 3);
    desired.putObject("model").put("name", "resnet50");
    ObjectNode reported = JSON.createObjectNode().put(TwinDocument.VERSION, 1);
    TwinDocument twin = new TwinDocument(desired, reported);

    desired.put("threshold", 6);
    twin.desired().put("threshold", 7);
    twin.desired().put(TwinDocument.VERSION, 9);
    ((ObjectNode) twin.desired().get("model")).put("name", "yolo");
    twin.reported().put("status", "changed");

    assertThat(twin.desired()).isEqualTo(JSON.createObjectNode().put("threshold", 5).put(TwinDocument.VERSION, 3)
        .set("model", JSON.createObjectNode().put("name", "resnet50")));
    assertThat(twin.desiredVersion()).isEqualTo(3);
    assertThat(twin.reported().has("status")).isFalse();
    assertThat(twin.reportedVersion()).isEqualTo(1);
    assertThat(twin.desired()).isNotSameAs(twin.desired());
    assertThat(twin).isEqualTo(new TwinDocument(twin.desired(), twin.reported()));
  }
}
