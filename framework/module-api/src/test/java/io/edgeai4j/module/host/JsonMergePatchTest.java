package io.edgeai4j.module.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonMergePatchTest {
  private static ObjectNode json(String text) {
    return (ObjectNode) InMemoryTransport.json(text);
  }

  @Test
  void mergeReplacesDeletesAndMergesObjectsAsRfc7386Says() {
    ObjectNode target = json("{'a': 1, 'b': {'c': 2, 'd': 3}, 'e': [1, 2], 'f': 'x'}");

    DesiredProperties.mergePatch(target, json("{'a': null, 'b': {'c': null, 'g': 4}, 'e': [3], 'f': {'h': 5}}"));

    assertThat(target).isEqualTo(json("{'b': {'d': 3, 'g': 4}, 'e': [3], 'f': {'h': 5}}"));
  }

  @Test
  void stripRemovesDollarKeysAtEveryLevelAndLeavesTheInputAlone() {
    ObjectNode twin = json("{'$version': 4, '$metadata': {'$lastUpdated': 'x'}, 'a': {'$lastUpdated': 'y', 'b': 1}}");

    ObjectNode stripped = DesiredProperties.strip(twin);

    assertThat(stripped).isEqualTo(json("{'a': {'b': 1}}"));
    assertThat(twin.has("$version")).isTrue();
  }
}
