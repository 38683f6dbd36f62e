package io.edgeai4j.packaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile as a list of instructions: comments and blank lines dropped, continuation lines ({@code \} at the
 * end) joined, as Docker reads them. Parses nothing else; {@link DockerfileRules} interprets the instructions.
 *
 * @param instructions The instructions in order.
 */
record Dockerfile(List<Instruction> instructions) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One instruction.
   *
   * @param line The line it starts on, from 1.
   * @param keyword The keyword, upper case ({@code FROM}, {@code RUN}, ...).
   * @param arguments The rest of the instruction, continuation lines joined with a space.
   */
  record Instruction(int line, String keyword, String arguments) {
    /** Returns the exec-form arguments ({@code ["java", ...]}), or null when the instruction is in shell form. */
    List<String> execForm() {
      if (!arguments.startsWith("[")) {
        return null;
      }
      try {
        JsonNode array = JSON.readTree(arguments);
        List<String> args = new ArrayList<>();
        array.forEach(element -> args.add(element.asText()));
        return args;
      } catch (JsonProcessingException e) {
        return null;
      }
    }
  }

  Dockerfile {
    instructions = List.copyOf(instructions);
  }

  /** Parses a Dockerfile's text. */
  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = null;
    int start = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("#") || (line.isEmpty() && pending == null)) {
        continue;
      }
      boolean continues = line.endsWith("\\");
      String content = continues ? line.substring(0, line.length() - 1).strip() : line;
      if (pending == null) {
        pending = new StringBuilder(content);
        start = i + 1;
      } else if (!content.isEmpty()) {
        pending.append(' ').append(content);
      }
      if (!continues) {
        add(instructions, start, pending.toString());
        pending = null;
      }
    }
    if (pending != null) {
      add(instructions, start, pending.toString());
    }
    return new Dockerfile(instructions);
  }

  /** Returns the instructions with this keyword, in order. */
  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** Returns the last instruction with this keyword (the one in effect), or null. */
  Instruction last(String keyword) {
    List<Instruction> found = all(keyword);
    return found.isEmpty() ? null : found.get(found.size() - 1);
  }

  private static void add(List<Instruction> instructions, int line, String text) {
    if (text.isBlank()) {
      return;
    }
    int space = text.indexOf(' ');
    String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    String arguments = space < 0 ? "" : text.substring(space + 1).strip();
    instructions.add(new Instruction(line, keyword, arguments));
  }
}
