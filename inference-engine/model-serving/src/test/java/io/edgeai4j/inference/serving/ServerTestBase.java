package io.edgeai4j.inference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh {@link ServerFixture} over a temporary repository for each test; after each test the server is closed
 * and no model may have been run after its close or closed with runs in flight.
 */
abstract class ServerTestBase {
  @TempDir
  Path root;
  ServerFixture f;

  @BeforeEach
  void open() throws Exception {
    f = new ServerFixture(root);
  }

  @AfterEach
  void close() {
    f.close();
    assertThat(f.backend.violations).isEmpty();
  }
}
