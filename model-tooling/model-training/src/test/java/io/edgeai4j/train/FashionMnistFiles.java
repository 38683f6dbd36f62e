package io.edgeai4j.train;

import static org.assertj.core.api.Assertions.fail;

import io.edgeai4j.train.fashion.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find Fashion-MNIST: Debian's {@code dataset-fashion-mnist}, which the build installs
 * ({@code model-tooling/fashion-mnist.sh}, run by Maven before the tests). Missing files fail the test, naming the
 * command that installs them: a test that needs data is not skipped.
 */
public final class FashionMnistFiles {
  private FashionMnistFiles() {}

  public static Path dir() {
    Path dir = FashionMnist.DEBIAN_DIR;
    if (!Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
      fail("Fashion-MNIST is not installed at " + dir + ": run `apt-get install dataset-fashion-mnist` (as root; "
          + "the build's model-tooling/fashion-mnist.sh does so when it can)");
    }
    return dir;
  }
}
