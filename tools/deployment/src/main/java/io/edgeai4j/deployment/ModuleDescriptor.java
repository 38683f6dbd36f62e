package io.edgeai4j.deployment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A module's {@code module.json} in iotedgedev's format, plus edgeai4j's declaration of its inputs, outputs and
 * methods.
 *
 * @param folder The module's folder name under the modules directory ({@code ${MODULES.<folder>}}).
 * @param repository {@code image.repository} as written, variables unexpanded (e.g. {@code
 *     ${CONTAINER_REGISTRY_SERVER}/inference}).
 * @param version {@code image.tag.version}.
 * @param platforms {@code image.tag.platforms}: platform to Dockerfile, relative to the module folder.
 * @param endpoints The {@code edgeai4j} section, or empty for a module that declares none.
 */
public record ModuleDescriptor(
    String folder, String repository, String version, Map<String, Path> platforms, Optional<Endpoints> endpoints) {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*");

  /**
   * What a module offers other modules, from {@code module.json}'s {@code edgeai4j} section.
   *
   * @param module The module name the deployment gives it (e.g. {@code inference}).
   * @param inputs The inputs routes may send to.
   * @param outputs The outputs it sends on.
   * @param methods The direct methods it answers.
   */
  public record Endpoints(String module, List<String> inputs, List<String> outputs, List<String> methods) {
    /** Copies the lists. */
    public Endpoints {
      Objects.requireNonNull(module, "module");
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
      methods = List.copyOf(methods);
    }
  }

  /** Validates and copies the fields. */
  public ModuleDescriptor {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(endpoints, "endpoints");
    platforms = Map.copyOf(platforms);
    if (repository.isBlank() || version.isBlank()) {
      throw new IllegalArgumentException("module " + folder + ": image.repository and image.tag.version are required");
    }
  }

  /**
   * The image for a platform, as iotedgedev names it: {@code <repository, lower case>:<version>[-<CONTAINER_TAG>]-
   * <platform>}.
   *
   * @param platform A key of {@link #platforms()}.
   * @param variables Expand the repository's variables and give the optional {@code CONTAINER_TAG}.
   * @param pointer Where the image is asked for, for errors.
   * @throws TemplateException if the platform is not one of the module's or a variable is undefined.
   */
  public String image(String platform, Variables variables, String pointer) throws TemplateException {
    if (!platforms.containsKey(platform)) {
      throw new TemplateException(pointer, "module folder '" + folder + "' has no platform '" + platform
          + "' in its module.json image.tag.platforms " + platforms.keySet().stream().sorted().toList());
    }
    Placeholders placeholders = new Placeholders(variables, (f, p, at) -> {
      throw new TemplateException(at, "module.json of '" + folder + "': image.repository cannot name ${MODULES.*}");
    });
    String expanded = placeholders.expand(repository, pointer).toLowerCase(java.util.Locale.ROOT);
    String containerTag = variables.get("CONTAINER_TAG").filter(tag -> !tag.isBlank()).map(tag -> "-" + tag)
        .orElse("");
    return expanded + ":" + version + containerTag + "-" + platform;
  }

  /**
   * Whether an image (with or without tag or digest) is of this module's repository, its variables matching
   * anything, ignoring case. An image without registry is on Docker Hub, as Docker reads it: {@code
   * edgeai4j/threshold-filter} is of {@code ${CONTAINER_REGISTRY_SERVER}/edgeai4j/threshold-filter}.
   */
  public boolean matchesImage(String image) {
    Pattern pattern = repositoryPattern();
    return pattern.matcher(ImageReference.repositoryOf(image)).matches()
        || pattern.matcher(ImageReference.qualifiedRepositoryOf(image)).matches();
  }

  private Pattern repositoryPattern() {
    StringBuilder regex = new StringBuilder();
    Matcher matcher = VARIABLE.matcher(repository);
    int last = 0;
    while (matcher.find()) {
      regex.append(Pattern.quote(repository.substring(last, matcher.start()))).append(".*");
      last = matcher.end();
    }
    regex.append(Pattern.quote(repository.substring(last)));
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }
}
