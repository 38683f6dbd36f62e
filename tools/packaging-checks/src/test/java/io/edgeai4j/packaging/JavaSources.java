package io.edgeai4j.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a module's Java sources register, read with regular expressions (nothing is started): the inputs of
 * {@code onInput(...)}, the methods of {@code onMethod(...)}, the outputs of {@code .send(...)} and the constants
 * of a class named {@code Outputs}, and the id its {@code EdgeModuleFactory} returns. A first argument that is a
 * string literal or a {@code static final String} constant (bare, or {@code Class.NAME}) is resolved; any other
 * argument (a variable, a call) is not an endpoint name and is skipped.
 */
final class JavaSources {
  private static final Pattern CONSTANT =
      Pattern.compile("static\\s+final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]*)\"\\s*;");
  private static final Pattern CALL =
      Pattern.compile("\\.(onInput|onMethod|send)\\(\\s*(\"[^\"]*\"|[A-Za-z_][\\w.]*)\\s*,");
  private static final Pattern FACTORY_ID = Pattern.compile(
      "implements\\s+EdgeModuleFactory\\b.*?String\\s+id\\(\\)\\s*\\{\\s*return\\s+\"([^\"]+)\"\\s*;", Pattern.DOTALL);

  private final Map<String, String> sourcesByClass;
  private final Map<String, Map<String, String>> constantsByClass = new HashMap<>();

  private JavaSources(Map<String, String> sourcesByClass) {
    this.sourcesByClass = Map.copyOf(sourcesByClass);
    sourcesByClass.forEach((cls, text) -> {
      Map<String, String> constants = new HashMap<>();
      Matcher m = CONSTANT.matcher(text);
      while (m.find()) {
        constants.put(m.group(1), m.group(2));
      }
      constantsByClass.put(cls, constants);
    });
  }

  /** Reads every .java file under a source root. */
  static JavaSources of(Path sourceRoot) {
    Map<String, String> sources = new HashMap<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String name = file.getFileName().toString();
        sources.put(name.substring(0, name.length() - ".java".length()), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the sources under " + sourceRoot + ": " + e, e);
    }
    return new JavaSources(sources);
  }

  /** Parses sources given as text, by simple class name (for tests of this class). */
  static JavaSources ofTexts(Map<String, String> sourcesByClass) {
    return new JavaSources(sourcesByClass);
  }

  /** Returns the names passed to {@code onInput}. */
  Set<String> inputs() {
    return calls("onInput");
  }

  /** Returns the names passed to {@code onMethod}. */
  Set<String> methods() {
    return calls("onMethod");
  }

  /** Returns the names passed to {@code .send} and the constants of classes named {@code Outputs}. */
  Set<String> outputs() {
    Set<String> outputs = calls("send");
    Map<String, String> declared = constantsByClass.get("Outputs");
    if (declared != null) {
      outputs.addAll(declared.values());
    }
    return outputs;
  }

  /** Returns the id the module's EdgeModuleFactory implementation returns; fails unless exactly one. */
  String factoryId() {
    Set<String> ids = new LinkedHashSet<>();
    for (String text : sourcesByClass.values()) {
      Matcher m = FACTORY_ID.matcher(text);
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    if (ids.size() != 1) {
      throw new IllegalStateException("Expected one EdgeModuleFactory returning a literal id, found " + ids);
    }
    return ids.iterator().next();
  }

  private Set<String> calls(String method) {
    Set<String> names = new TreeSet<>();
    sourcesByClass.forEach((cls, text) -> {
      Matcher m = CALL.matcher(text);
      while (m.find()) {
        if (m.group(1).equals(method)) {
          String value = resolve(cls, m.group(2));
          if (value != null) {
            names.add(value);
          }
        }
      }
    });
    return names;
  }

  private String resolve(String cls, String argument) {
    if (argument.startsWith("\"")) {
      return argument.substring(1, argument.length() - 1);
    }
    List<String> parts = List.of(argument.split("\\."));
    if (parts.size() == 1) {
      return constantsByClass.getOrDefault(cls, Map.of()).get(argument);
    }
    if (parts.size() == 2) {
      return constantsByClass.getOrDefault(parts.get(0), Map.of()).get(parts.get(1));
    }
    return null;
  }
}
