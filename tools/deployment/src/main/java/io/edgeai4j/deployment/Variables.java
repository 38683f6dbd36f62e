package io.edgeai4j.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The variables a template's {@code $VAR} and {@code ${VAR}} take their values from: the {@code .env} file first,
 * then the process environment. Immutable.
 *
 * <p>A {@code .env} file has {@code KEY=VALUE} lines; blank lines and lines starting with {@code #} are skipped, an
 * {@code export } prefix is allowed, and a value wrapped in matching single or double quotes loses them. Nothing
 * else is interpreted: no escapes, no references to other variables.
 */
public final class Variables {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> dotEnv;
  private final Map<String, String> environment;

  private Variables(Map<String, String> dotEnv, Map<String, String> environment) {
    this.dotEnv = Map.copyOf(dotEnv);
    this.environment = Map.copyOf(environment);
  }

  /** Variables from a {@code .env} file's contents and an environment. */
  public static Variables of(Map<String, String> dotEnv, Map<String, String> environment) {
    return new Variables(dotEnv, environment);
  }

  /** No variables at all. */
  public static Variables none() {
    return new Variables(Map.of(), Map.of());
  }

  /**
   * Reads a {@code .env} file; the environment answers what it does not define.
   *
   * @throws IOException if the file cannot be read.
   * @throws IllegalArgumentException naming the file and line of a line that is not {@code KEY=VALUE}.
   */
  public static Variables load(Path dotEnvFile, Map<String, String> environment) throws IOException {
    Objects.requireNonNull(environment, "environment");
    return new Variables(parse(dotEnvFile, Files.readAllLines(dotEnvFile, StandardCharsets.UTF_8)), environment);
  }

  static Map<String, String> parse(Path file, List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int equals = line.indexOf('=');
      String name = equals < 0 ? line : line.substring(0, equals).strip();
      if (equals < 0 || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": '" + lines.get(i)
            + "' is not KEY=VALUE with a KEY of letters, digits and '_'");
      }
      values.put(name, unquote(line.substring(equals + 1).strip()));
    }
    return values;
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1);
      }
    }
    return value;
  }

  /** The value of {@code name}: the {@code .env} file's, else the environment's, else empty. */
  public Optional<String> get(String name) {
    String value = dotEnv.get(name);
    return Optional.ofNullable(value != null ? value : environment.get(name));
  }
}
