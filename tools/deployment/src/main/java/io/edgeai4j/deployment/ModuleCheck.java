package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks each module of {@code $edgeAgent}: its name, environment variable names, image reference (and, for the
 * IoT Edge runtime images, whether the release is supported: {@link RuntimeVersionCheck}), restart policy and
 * createOptions ({@link CreateOptionsCheck}, given the module's env for its state directories).
 */
final class ModuleCheck {
  private static final Pattern MODULE_NAME = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final Pattern ENV_NAME = Pattern.compile("[^+#$\\s.]+");

  private ModuleCheck() {}

  /**
   * Checks the modules of one group ({@code systemModules} or {@code modules}).
   *
   * @param group The group object.
   * @param pointer Its pointer.
   * @param userModules Whether these are user modules, whose names are checked.
   */
  static List<Problem> check(JsonNode group, String pointer, boolean userModules) {
    List<Problem> problems = new ArrayList<>();
    if (!group.isObject()) {
      return problems; // the schema reports it
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = group.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      String modulePointer = JsonPointers.child(pointer, name);
      if (userModules && !MODULE_NAME.matcher(name).matches()) {
        problems.add(Problem.error(modulePointer, "module name '" + name
            + "' may contain only letters, digits, '-' and '_'"));
      }
      JsonNode module = entry.getValue();
      checkEnv(module.path("env"), JsonPointers.child(modulePointer, "env"), problems);
      checkRestartPolicy(module.path("restartPolicy"), JsonPointers.child(modulePointer, "restartPolicy"), problems);
      JsonNode settings = module.path("settings");
      String settingsPointer = JsonPointers.child(modulePointer, "settings");
      checkImage(settings.path("image"), JsonPointers.child(settingsPointer, "image"), problems);
      if (settings instanceof ObjectNode settingsObject) {
        problems.addAll(CreateOptionsCheck.check(settingsObject, settingsPointer, module.path("env")));
      }
    }
    return problems;
  }

  private static void checkEnv(JsonNode env, String pointer, List<Problem> problems) {
    for (Iterator<String> names = env.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!ENV_NAME.matcher(name).matches()) {
        problems.add(Problem.error(JsonPointers.child(pointer, name), "environment variable name '" + name
            + "' may not contain '+', '#', '$', '.' or white space"));
      }
    }
  }

  private static void checkRestartPolicy(JsonNode policy, String pointer, List<Problem> problems) {
    String value = policy.asText();
    if (value.equals("on-failure") || value.equals("on-unhealthy")) {
      problems.add(Problem.warning(pointer, "restart policy '" + value + "' is not implemented by edgeAgent and"
          + " never restarts the module; use 'always' (with a Docker Healthcheck in createOptions) or 'never'"));
    }
  }

  private static void checkImage(JsonNode imageNode, String pointer, List<Problem> problems) {
    if (!imageNode.isTextual()) {
      return; // the schema reports it
    }
    String image = imageNode.textValue();
    if (image.contains("${") || image.contains("$MODULES")) {
      problems.add(Problem.error(pointer, "image '" + image + "' still holds a template placeholder; deploy the"
          + " manifest generated from the template (edge manifest generate)"));
      return;
    }
    if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      problems.add(Problem.error(pointer, "image '" + image + "' contains white space"));
      return;
    }
    String repository = ImageReference.repositoryOf(image);
    int slash = repository.indexOf('/');
    String first = slash < 0 ? "" : repository.substring(0, slash);
    boolean registryHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    String path = registryHost ? repository.substring(slash + 1) : repository;
    if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
      problems.add(Problem.error(pointer, "image '" + image + "': repository '" + path
          + "' must be lower case for docker"));
    }
    String tag = ImageReference.tagOf(image);
    if (tag == null && !ImageReference.hasDigest(image)) {
      problems.add(Problem.error(pointer, "image '" + image + "' has no tag; edgeAgent would pull ':latest',"
          + " a different image whenever the registry changes; name a version tag"));
    } else if ("latest".equals(tag)) {
      problems.add(Problem.warning(pointer, "image '" + image + "' uses the tag 'latest', which names a different"
          + " image whenever the registry changes; name a version tag"));
    } else if (tag != null && tag.isEmpty()) {
      problems.add(Problem.error(pointer, "image '" + image + "' has an empty tag after ':'"));
    } else {
      RuntimeVersionCheck.warning(image).ifPresent(reason -> problems.add(Problem.warning(pointer, reason)));
    }
  }
}
