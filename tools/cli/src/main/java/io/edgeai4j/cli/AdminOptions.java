package io.edgeai4j.cli;

import io.edgeai4j.runtime.AdminToken;
import io.edgeai4j.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that find a running {@code edge run} and its admin token (a picocli mixin). */
final class AdminOptions {
  @Option(names = "--admin-port", defaultValue = "" + RuntimeOptions.DEFAULT_ADMIN_PORT,
      description = "Admin port of the running 'edge run' (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--admin-token-file", paramLabel = "<file>",
      description = "File holding the admin token of the running 'edge run' (default: $" + AdminToken.ENV
          + " when set, else admin-<port>.token in the user's state directory, where 'edge run' writes it).")
  Path tokenFile;

  /** Where the token comes from, and the token when there is one. */
  record Token(Optional<String> value, String source) {}

  /**
   * Finds the token: the {@code --admin-token-file}, else the environment variable, else the default file of
   * the port. A default file that does not exist gives no token (the endpoint then says 401, or nothing
   * listens); a named file that does not exist is an error.
   *
   * @throws IOException If a token file cannot be read, naming it.
   */
  Token token(Map<String, String> env) throws IOException {
    if (tokenFile != null) {
      try {
        return new Token(Optional.of(AdminToken.read(tokenFile)), tokenFile.toString());
      } catch (NoSuchFileException e) {
        throw new IOException("the --admin-token-file " + tokenFile + " does not exist", e);
      }
    }
    String fromEnv = env.get(AdminToken.ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Token(Optional.of(fromEnv.trim()), "$" + AdminToken.ENV);
    }
    Path file = AdminToken.defaultFile(port);
    try {
      return new Token(Optional.of(AdminToken.read(file)), file.toString());
    } catch (NoSuchFileException e) {
      return new Token(Optional.empty(), file + " (which does not exist)");
    }
  }
}
