package io.edgeai4j.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a module's createOptions: the chunks joined as edgeAgent joins them parse as a JSON object; GPU requests
 * have edgeAgent's shape ({@code HostConfig.DeviceRequests[].Capabilities} an array of arrays of strings); bind
 * sources are absolute host paths or volume names and bind targets absolute paths. A writable bind of a host
 * directory over a directory an edgeai4j module writes ({@link #STATE_VARIABLES}, from the module's env) is a
 * warning: Docker creates a missing host directory owned by root, which the modules (uid 10001) cannot write, where
 * a named volume takes the owner of the image's directory.
 */
final class CreateOptionsCheck {
  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  /** The env variables naming the directories the edgeai4j modules write: their state. */
  static final List<String> STATE_VARIABLES = List.of("MODEL_REPOSITORY", "STATE_DIRECTORY", "SPILL_DIRECTORY");

  /** A writable bind of a host path: where it is in createOptions and its target in the container. */
  private record HostBind(String where, String source, String target) {}

  private CreateOptionsCheck() {}

  /**
   * Checks the createOptions of one module.
   *
   * @param settings The module's {@code settings}, holding {@code createOptions} and its chunks.
   * @param settingsPointer Its pointer.
   * @param env The module's {@code env} (missing node for none), whose state directories a host bind may cover.
   */
  static List<Problem> check(ObjectNode settings, String settingsPointer, JsonNode env) {
    List<Problem> problems = new ArrayList<>();
    List<CreateOptions.Chunk> chunks = CreateOptions.chunksOf(settings);
    if (chunks.isEmpty()) {
      return problems;
    }
    String pointer = JsonPointers.child(settingsPointer, chunks.get(0).key());
    Map<Integer, String> seen = new HashMap<>();
    StringBuilder joined = new StringBuilder();
    for (CreateOptions.Chunk chunk : chunks) {
      String chunkPointer = JsonPointers.child(settingsPointer, chunk.key());
      String earlier = seen.putIfAbsent(chunk.number(), chunk.key());
      if (earlier != null) {
        problems.add(Problem.error(chunkPointer, "chunk " + chunk.key() + " has the same number as " + earlier
            + "; edgeAgent would join both"));
      }
      if (!chunk.value().isTextual()) {
        return problems; // the schema reports it
      }
      joined.append(chunk.value().textValue());
    }
    checkNumbering(chunks, settingsPointer, problems);
    if (chunks.size() > CreateOptions.MAX_CHUNKS) {
      problems.add(Problem.error(pointer, chunks.size() + " createOptions chunks; edgeAgent reads at most "
          + CreateOptions.MAX_CHUNKS));
    }
    String what = chunks.size() == 1 ? "createOptions" : "createOptions (" + chunks.size() + " chunks joined)";
    JsonNode options;
    try {
      options = ManifestJson.mapper().readTree(joined.toString());
    } catch (JsonProcessingException e) {
      String detail = e.getOriginalMessage().replaceAll("\\s*\\(for \\w+ starting at \\[.*?]\\)", "");
      problems.add(Problem.error(pointer, what + " is not JSON: " + detail + " at character "
          + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr())));
      return problems;
    }
    if (options == null || !options.isObject()) {
      problems.add(Problem.error(pointer, what + " is " + (options == null ? "empty" : options.getNodeType()
          .toString().toLowerCase(java.util.Locale.ROOT)) + "; expected a JSON object of Docker's ContainerCreate"));
      return problems;
    }
    JsonNode hostConfig = options.path("HostConfig");
    checkDeviceRequests(hostConfig.path("DeviceRequests"), pointer, problems);
    List<HostBind> hostBinds = new ArrayList<>();
    checkBinds(hostConfig.path("Binds"), pointer, problems, hostBinds);
    checkMounts(hostConfig.path("Mounts"), pointer, problems, hostBinds);
    checkStateOnHostDirectories(hostBinds, env, pointer, problems);
    return problems;
  }

  private static void checkStateOnHostDirectories(List<HostBind> hostBinds, JsonNode env, String pointer,
      List<Problem> problems) {
    for (HostBind bind : hostBinds) {
      String target = bind.target().endsWith("/") ? bind.target() : bind.target() + "/";
      List<String> covered = new ArrayList<>();
      for (String variable : STATE_VARIABLES) {
        String value = env.path(variable).path("value").asText("");
        if (value.equals(bind.target()) || value.startsWith(target)) {
          covered.add(variable + " (" + value + ")");
        }
      }
      if (!covered.isEmpty()) {
        problems.add(Problem.warning(pointer, bind.where() + " binds the host directory " + bind.source()
            + " over " + String.join(", ", covered) + ": Docker creates a missing host directory owned by root,"
            + " which the edgeai4j modules (uid 10001) cannot write; mount a named volume there instead"
            + " (\"Mounts\": [{\"Type\": \"volume\", \"Source\": \"<name>\", \"Target\": \"" + bind.target()
            + "\"}]), or chown -R 10001:10001 the host directory before deploying"));
      }
    }
  }

  /** A gap in the numbers (createOptions, createOptions02) means a chunk was lost; edgeAgent joins around it. */
  private static void checkNumbering(List<CreateOptions.Chunk> chunks, String settingsPointer,
      List<Problem> problems) {
    int expected = 0;
    for (CreateOptions.Chunk chunk : chunks) {
      if (chunk.number() == expected - 1) {
        continue; // a duplicate, reported above
      }
      if (chunk.number() != expected) {
        problems.add(Problem.warning(JsonPointers.child(settingsPointer, chunk.key()), "chunk " + chunk.key()
            + " comes after a gap: " + CreateOptions.key(expected) + " is missing, and edgeAgent joins the chunks"
            + " it finds"));
        return;
      }
      expected++;
    }
  }

  private static void checkDeviceRequests(JsonNode requests, String pointer, List<Problem> problems) {
    if (requests.isMissingNode()) {
      return;
    }
    if (!requests.isArray()) {
      problems.add(Problem.error(pointer, "HostConfig.DeviceRequests is " + requests + "; expected an array of"
          + " requests, e.g. [{\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]"));
      return;
    }
    for (int i = 0; i < requests.size(); i++) {
      JsonNode capabilities = requests.get(i).path("Capabilities");
      if (capabilities.isMissingNode()) {
        continue;
      }
      String where = "HostConfig.DeviceRequests[" + i + "].Capabilities";
      boolean arrayOfArrays = capabilities.isArray();
      for (JsonNode set : capabilities) {
        arrayOfArrays &= set.isArray();
        for (JsonNode capability : set) {
          arrayOfArrays &= capability.isTextual();
        }
      }
      if (!arrayOfArrays) {
        problems.add(Problem.error(pointer, where + " is " + capabilities + "; expected an array of arrays of"
            + " strings such as [[\"gpu\"]] (docker refuses a flat list: cannot unmarshal string into []string)"));
      }
    }
  }

  private static void checkBinds(JsonNode binds, String pointer, List<Problem> problems, List<HostBind> hostBinds) {
    if (binds.isMissingNode()) {
      return;
    }
    if (!binds.isArray()) {
      problems.add(Problem.error(pointer, "HostConfig.Binds is not an array of \"source:target[:options]\""));
      return;
    }
    for (int i = 0; i < binds.size(); i++) {
      String where = "HostConfig.Binds[" + i + "]";
      JsonNode bind = binds.get(i);
      String[] parts = bind.isTextual() ? bind.textValue().split(":", -1) : new String[0];
      if (parts.length < 2 || parts.length > 3) {
        problems.add(Problem.error(pointer, where + " is " + bind + "; expected \"source:target[:options]\""));
        continue;
      }
      if (!parts[0].startsWith("/") && !VOLUME_NAME.matcher(parts[0]).matches()) {
        problems.add(Problem.error(pointer, where + " source '" + parts[0] + "' is neither an absolute host path"
            + " nor a volume name"));
      }
      if (!parts[1].startsWith("/")) {
        problems.add(Problem.error(pointer, where + " target '" + parts[1] + "' is not an absolute path in the"
            + " container"));
      } else if (parts[0].startsWith("/") && !(parts.length == 3 && List.of(parts[2].split(",")).contains("ro"))) {
        hostBinds.add(new HostBind(where, parts[0], parts[1]));
      }
    }
  }

  private static void checkMounts(JsonNode mounts, String pointer, List<Problem> problems, List<HostBind> hostBinds) {
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode mount = mounts.get(i);
      String where = "HostConfig.Mounts[" + i + "]";
      if ("bind".equals(mount.path("Type").asText()) && !mount.path("Source").asText().startsWith("/")) {
        problems.add(Problem.error(pointer, where + " bind source '" + mount.path("Source").asText()
            + "' is not an absolute host path"));
      }
      if (mount.has("Target") && !mount.path("Target").asText().startsWith("/")) {
        problems.add(Problem.error(pointer, where + " target '" + mount.path("Target").asText()
            + "' is not an absolute path in the container"));
      } else if ("bind".equals(mount.path("Type").asText()) && mount.path("Source").asText().startsWith("/")
          && !mount.path("ReadOnly").asBoolean(false)) {
        hostBinds.add(new HostBind(where, mount.path("Source").asText(), mount.path("Target").asText()));
      }
    }
  }
}
