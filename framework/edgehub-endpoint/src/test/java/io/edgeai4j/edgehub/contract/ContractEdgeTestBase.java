package io.edgeai4j.edgehub.contract;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh {@link ContractEdge} over a temporary directory for each test, closed after it (after the subclass's own
 * {@code @AfterEach} methods, which JUnit runs first).
 */
abstract class ContractEdgeTestBase {
  @TempDir
  Path directory;
  ContractEdge edge;

  @BeforeEach
  void startEdge() throws Exception {
    edge = ContractEdge.start(directory);
  }

  @AfterEach
  void closeEdge() {
    edge.close();
  }
}
