package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.runtime.AdminToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code edge twin} and {@code edge method} take the admin token from. */
class AdminOptionsTest {
  @TempDir Path dir;

  @Test
  void theNamedFileComesFirstThenTheEnvironmentThenTheDefaultFile() throws Exception {
    AdminOptions options = new AdminOptions();
    options.port = 1; // no 'edge run' writes admin-1.token
    options.tokenFile = Files.writeString(dir.resolve("t"), "from-file\n");
    assertThat(options.token(Map.of(AdminToken.ENV, "from-env")).value()).contains("from-file");

    options.tokenFile = null;
    AdminOptions.Token fromEnv = options.token(Map.of(AdminToken.ENV, " from-env "));
    assertThat(fromEnv.value()).contains("from-env");
    assertThat(fromEnv.source()).isEqualTo("$" + AdminToken.ENV);

    AdminOptions.Token none = options.token(Map.of());
    assertThat(none.value()).isEmpty();
    assertThat(none.source()).contains(AdminToken.defaultFile(1).toString()).contains("does not exist");
  }

  @Test
  void aNamedFileThatIsMissingIsAnErrorNamingIt() {
    AdminOptions options = new AdminOptions();
    options.tokenFile = dir.resolve("absent");
    assertThatThrownBy(() -> options.token(Map.of())).hasMessageContaining(dir.resolve("absent").toString())
        .hasMessageContaining("does not exist");
  }
}
