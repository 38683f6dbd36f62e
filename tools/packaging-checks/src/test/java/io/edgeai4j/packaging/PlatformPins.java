package io.edgeai4j.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a module folder pins the platform of each image it builds, in {@code module.json} and in the Dockerfiles,
 * so that no image relies on a multi-platform base resolving to the right variant on the build host (an arm64v8
 * image built on an x86 CI would otherwise come out amd64).
 *
 * <p>iotedgedev passes {@code image.buildOptions} to the build of <em>every</em> platform of the module, so that
 * list must not hold a {@code --platform}; each platform's options live in {@code edgeai4j.buildOptions}, keyed by
 * the platforms of {@code image.tag.platforms} ({@code {"arm64v8": ["--platform=linux/arm64"], ...}}), in the form
 * {@code docker build} and iotedgedev take them. Each Dockerfile's {@code FROM} lines name the same platform
 * ({@link DockerfileRules#checkPlatform}), which is what makes an iotedgedev build right.
 */
final class PlatformPins {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlatformPins() {}

  /** Returns the problems of the module folder, each naming the file and what was expected; empty when pinned. */
  static List<String> check(Path moduleFolder) {
    List<String> problems = new ArrayList<>();
    JsonNode json;
    try {
      json = JSON.readTree(moduleFolder.resolve("module.json").toFile());
    } catch (IOException e) {
      return List.of("module.json: cannot be read: " + e.getMessage());
    }
    JsonNode shared = json.path("image").path("buildOptions");
    for (JsonNode option : shared) {
      if (option.asText().strip().startsWith("--platform")) {
        problems.add("module.json: image.buildOptions holds " + option.asText() + ", but iotedgedev passes"
            + " image.buildOptions to the build of every platform, so all images would be built for one; give each"
            + " platform its --platform in edgeai4j.buildOptions");
      }
    }
    JsonNode perPlatform = json.path("edgeai4j").path("buildOptions");
    if (!perPlatform.isObject()) {
      problems.add("module.json: no edgeai4j.buildOptions object; expected the options of each platform, e.g."
          + " {\"amd64\": [\"--platform=linux/amd64\"], \"arm64v8\": [\"--platform=linux/arm64\"]}");
    }
    JsonNode platforms = json.path("image").path("tag").path("platforms");
    for (Iterator<Map.Entry<String, JsonNode>> it = platforms.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Optional<Platform> platform = Arrays.stream(Platform.values()).filter(p -> p.key().equals(entry.getKey()))
          .findFirst();
      if (platform.isEmpty()) {
        problems.add("module.json: image.tag.platforms." + entry.getKey() + " is no platform these checks know;"
            + " expected one of " + Arrays.stream(Platform.values()).map(Platform::key).toList());
        continue;
      }
      if (perPlatform.isObject()) {
        checkOptions(perPlatform.path(entry.getKey()), platform.get(), problems);
      }
      checkDockerfile(moduleFolder.resolve(entry.getValue().asText()), platform.get(), problems);
    }
    for (Iterator<String> keys = perPlatform.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!platforms.has(key)) {
        problems.add("module.json: edgeai4j.buildOptions." + key + " names no platform of image.tag.platforms");
      }
    }
    return problems;
  }

  private static void checkOptions(JsonNode options, Platform platform, List<String> problems) {
    String where = "module.json: edgeai4j.buildOptions." + platform.key();
    String wanted = "--platform=" + platform.dockerPlatform();
    if (!options.isArray()) {
      problems.add(where + " is " + (options.isMissingNode() ? "missing" : options.toString())
          + "; expected [\"" + wanted + "\"]");
      return;
    }
    List<String> given = new ArrayList<>();
    options.forEach(o -> given.add(o.asText().strip()));
    List<String> pins = given.stream().filter(o -> o.startsWith("--platform")).toList();
    if (pins.isEmpty()) {
      problems.add(where + " " + given + " has no --platform; expected " + wanted);
    } else if (!pins.equals(List.of(wanted))) {
      problems.add(where + " has " + String.join(" ", pins) + ", expected " + wanted);
    }
  }

  private static void checkDockerfile(Path dockerfile, Platform platform, List<String> problems) {
    if (!Files.isRegularFile(dockerfile)) {
      problems.add(dockerfile.getFileName() + ": missing (image.tag.platforms." + platform.key() + " names it)");
      return;
    }
    String text;
    try {
      text = Files.readString(dockerfile);
    } catch (IOException e) {
      problems.add(dockerfile.getFileName() + ": cannot be read: " + e.getMessage());
      return;
    }
    List<String> found = new ArrayList<>();
    DockerfileRules.checkPlatform(Dockerfile.parse(text), platform, found);
    found.forEach(problem -> problems.add(dockerfile.getFileName() + ": " + problem));
  }
}
