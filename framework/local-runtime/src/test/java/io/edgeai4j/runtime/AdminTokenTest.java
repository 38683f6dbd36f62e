package io.edgeai4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
  @TempDir Path dir;

  @Test
  void acceptsOnlyItsOwnBearerToken() {
    AdminToken token = AdminToken.random();
    assertThat(token.accepts("Bearer " + token.value())).isTrue();
    assertThat(token.accepts("bearer " + token.value())).as("the scheme is case-insensitive").isTrue();
    assertThat(token.accepts(null)).isFalse();
    assertThat(token.accepts(token.value())).isFalse();
    assertThat(token.accepts("Bearer " + token.value() + "x")).isFalse();
    assertThat(token.accepts("Bearer " + AdminToken.random().value())).isFalse();
  }

  @Test
  void theStateDirectoryFollowsXdgThenTheHomeThenLocalAppData() {
    assertThat(AdminToken.stateDirectory(Map.of("XDG_STATE_HOME", "/xdg"), "Linux", "/home/u"))
        .isEqualTo(Path.of("/xdg/edgeai4j"));
    assertThat(AdminToken.stateDirectory(Map.of("XDG_STATE_HOME", "relative"), "Linux", "/home/u"))
        .as("XDG says a relative path is to be ignored").isEqualTo(Path.of("/home/u/.local/state/edgeai4j"));
    assertThat(AdminToken.stateDirectory(Map.of(), "Mac OS X", "/Users/u"))
        .isEqualTo(Path.of("/Users/u/.local/state/edgeai4j"));
    assertThat(AdminToken.defaultFile(15580).getFileName().toString()).isEqualTo("admin-15580.token");
  }

  @Test
  void readRefusesAnEmptyFileNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("t"), " \n");
    assertThatThrownBy(() -> AdminToken.read(file)).hasMessageContaining(file.toString())
        .hasMessageContaining("empty");
    Files.writeString(file, "abc\n");
    assertThat(AdminToken.read(file)).isEqualTo("abc");
  }
}
