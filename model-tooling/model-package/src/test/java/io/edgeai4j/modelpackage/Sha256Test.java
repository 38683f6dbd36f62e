package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  @Test
  void knownDigests() {
    assertThat(Sha256.of("test".getBytes(StandardCharsets.UTF_8))).isEqualTo(ModelReleaseTest.SHA);
    assertThat(Sha256.of(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void fileDigestEqualsTheBytesDigestAcrossManyBuffers(@TempDir Path dir) throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    Path file = Files.write(dir.resolve("f"), bytes);
    assertThat(Sha256.of(file)).isEqualTo(Sha256.of(bytes)).hasSize(64).isLowerCase();
  }
}
