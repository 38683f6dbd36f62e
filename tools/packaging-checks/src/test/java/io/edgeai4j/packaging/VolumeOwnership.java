package io.edgeai4j.packaging;

import io.edgeai4j.packaging.Dockerfile.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether an image creates, owned by the module's uid, the directory a deployment mounts a named volume on: Docker
 * fills a new, empty named volume from the image's directory at the mount point, owner included, so the module can
 * write it on a fresh device; a directory the image lacks becomes a volume owned by root. Reads the {@code mkdir} and
 * {@code chown} commands of the RUN instructions, in order.
 */
final class VolumeOwnership {
  private static final Set<String> SEPARATORS = Set.of("&&", "||", ";", "|");

  private VolumeOwnership() {}

  /**
   * Returns the problems, empty when a {@code mkdir} creates the target (or a directory under it) and a later
   * {@code chown} gives it to the uid (the target itself, or an ancestor with {@code -R}).
   *
   * @param file The Dockerfile.
   * @param target The mount point, absolute.
   * @param volume The volume's name, for the message.
   * @param uid The uid the image runs as.
   */
  static List<String> check(Dockerfile file, String target, String volume, int uid) {
    List<List<String>> commands = new ArrayList<>();
    for (Instruction run : file.all("RUN")) {
      List<String> command = new ArrayList<>();
      for (String token : run.arguments().split("\\s+")) {
        if (SEPARATORS.contains(token)) {
          commands.add(command);
          command = new ArrayList<>();
        } else if (!token.isEmpty()) {
          command.add(token);
        }
      }
      commands.add(command);
    }
    int created = -1;
    boolean owned = false;
    for (int i = 0; i < commands.size(); i++) {
      List<String> command = commands.get(i);
      if (command.isEmpty()) {
        continue;
      }
      List<String> operands = command.subList(1, command.size()).stream().filter(t -> !t.startsWith("-")).toList();
      if (command.get(0).equals("mkdir") && created < 0
          && operands.stream().anyMatch(p -> p.equals(target) || p.startsWith(target + "/"))) {
        created = i;
      } else if (command.get(0).equals("chown") && created >= 0 && !operands.isEmpty()
          && operands.get(0).split(":")[0].equals(String.valueOf(uid))) {
        boolean recursive = command.stream().anyMatch(t -> t.equals("-R") || t.equals("--recursive"));
        owned |= operands.subList(1, operands.size()).stream()
            .anyMatch(p -> p.equals(target) || recursive && target.startsWith(p.endsWith("/") ? p : p + "/"));
      }
    }
    List<String> problems = new ArrayList<>();
    if (created < 0) {
      problems.add("no RUN mkdir creates " + target + ", where the deployment mounts the named volume " + volume
          + ": a new volume would be root's, and uid " + uid + " could not write it");
    } else if (!owned) {
      problems.add("no RUN chown " + uid + " covers " + target + " after it is created (chown -R " + uid + ":" + uid
          + " " + target + " or a parent): a new named volume takes the owner of the image's directory");
    }
    return problems;
  }
}
