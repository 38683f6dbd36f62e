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
 * sources are absolute host paths or volume names and bind targets absolute paths.
 */
final class CreateOptionsCheck {
  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

  private CreateOptionsCheck() {}

  static List<Problem> check(ObjectNode settings, String settingsPointer) {
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
    checkBinds(hostConfig.path("Binds"), pointer, problems);
    checkMounts(hostConfig.path("Mounts"), pointer, problems);
    return problems;
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

  private static void checkBinds(JsonNode binds, String pointer, List<Problem> problems) {
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
      }
    }
  }

  private static void checkMounts(JsonNode mounts, String pointer, List<Problem> problems) {
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
      }
    }
  }
}
