package io.edgeai4j.deployment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the placeholders of one template string.
 *
 * <ul>
 *   <li>{@code ${MODULES.<folder>}}: the image of module folder {@code <folder>} for the target's image platform;
 *       {@code ${MODULES.<folder>.<platform>}} for a named {@code module.json} platform;
 *   <li>{@code ${NAME}}: a variable (letters, digits, {@code _});
 *   <li>{@code $NAME}: a variable whose name is upper case ({@code [A-Z_][A-Z0-9_]*}). Lower and mixed case words
 *       after {@code $} are left alone, so that routes keep {@code $upstream}, {@code $body.x} and {@code
 *       $connectionDeviceId}.
 * </ul>
 */
final class Placeholders {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([^}]*)}|\\$([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_])");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String MODULES_PREFIX = "MODULES.";

  /** Resolves a module image placeholder. */
  interface ModuleImages {
    /**
     * The image of a module folder.
     *
     * @param folder The folder under the modules directory.
     * @param platform The {@code module.json} platform, or {@code null} for the target's.
     */
    String image(String folder, String platform, String pointer) throws TemplateException;
  }

  private final Variables variables;
  private final ModuleImages images;

  Placeholders(Variables variables, ModuleImages images) {
    this.variables = variables;
    this.images = images;
  }

  /** Whether {@code text} has anything to expand. */
  static boolean contains(String text) {
    return PLACEHOLDER.matcher(text).find();
  }

  /**
   * Expands every placeholder of {@code text}.
   *
   * @param pointer Where the text is, for the error.
   * @throws TemplateException naming the variable or module and the pointer.
   */
  String expand(String text, String pointer) throws TemplateException {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder expanded = new StringBuilder();
    int last = 0;
    while (matcher.find()) {
      expanded.append(text, last, matcher.start());
      expanded.append(resolve(matcher, pointer));
      last = matcher.end();
    }
    return expanded.append(text, last, text.length()).toString();
  }

  private String resolve(Matcher matcher, String pointer) throws TemplateException {
    String braced = matcher.group(1);
    String name = braced != null ? braced : matcher.group(2);
    if (braced != null && braced.startsWith(MODULES_PREFIX)) {
      String rest = braced.substring(MODULES_PREFIX.length());
      int dot = rest.indexOf('.');
      String folder = dot < 0 ? rest : rest.substring(0, dot);
      String platform = dot < 0 ? null : rest.substring(dot + 1);
      if (folder.isEmpty() || (platform != null && platform.isEmpty())) {
        throw new TemplateException(pointer, "placeholder '" + matcher.group()
            + "' is not ${MODULES.<folder>} or ${MODULES.<folder>.<platform>}");
      }
      return images.image(folder, platform, pointer);
    }
    if (!VARIABLE_NAME.matcher(name).matches()) {
      throw new TemplateException(pointer, "placeholder '" + matcher.group()
          + "' is not ${NAME} with a NAME of letters, digits and '_'");
    }
    return variables.get(name).orElseThrow(() -> new TemplateException(pointer, "variable " + name
        + " (in '" + matcher.group() + "') is not defined in the .env file or the environment"));
  }
}
