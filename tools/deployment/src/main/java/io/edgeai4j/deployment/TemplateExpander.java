package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a deployment template (iotedgedev's {@code deployment.template.json}, {@code "$schema-template": "4.0.0"})
 * into the manifest of one {@link Platform}. Stateless apart from its inputs; thread-safe.
 *
 * <ol>
 *   <li>{@code "$schema-template"} is removed (a version other than {@value #SCHEMA_TEMPLATE} is a warning).
 *   <li>Platform overlays: an object may hold {@value #PLATFORMS_KEY}, an object of platform name ({@code amd64},
 *       {@code amd64.gpu}, {@code arm64v8}) to an overlay. The overlay of the target platform is applied to the
 *       object holding the key as an RFC 7386 JSON merge patch (objects merge, other values replace, {@code null}
 *       removes), and the key is removed; the other platforms' overlays are dropped.
 *   <li>Placeholders in string values (not keys) are expanded: see {@link Placeholders}. An undefined variable is an
 *       error naming it and its JSON pointer.
 *   <li>Each {@code settings.createOptions} of {@code $edgeAgent}'s {@code systemModules} and {@code modules}
 *       written as a JSON object is written compact, as a string, and cut into chunks of {@value
 *       CreateOptions#CHUNK_SIZE} characters ({@code createOptions}, {@code createOptions01}, …); so is a string
 *       longer than one chunk. More than {@value CreateOptions#IOTEDGEDEV_MAX_CHUNKS} chunks is a warning, more
 *       than {@value CreateOptions#MAX_CHUNKS} an error.
 * </ol>
 */
public final class TemplateExpander {
  /** The template format version this expander reads. */
  public static final String SCHEMA_TEMPLATE = "4.0.0";
  /** The key of per-platform overlays; never in a generated manifest. */
  public static final String PLATFORMS_KEY = "x-edgeai4j-platforms";

  private static final String AGENT_DESIRED = "/modulesContent/$edgeAgent/properties.desired";

  private final Variables variables;
  private final ModuleDescriptors modules;

  /**
   * Creates an expander.
   *
   * @param variables The {@code .env} file and the environment.
   * @param modules The module folders {@code ${MODULES.<folder>}} refers to.
   */
  public TemplateExpander(Variables variables, ModuleDescriptors modules) {
    this.variables = Objects.requireNonNull(variables, "variables");
    this.modules = Objects.requireNonNull(modules, "modules");
  }

  /**
   * Generates the manifest of {@code platform}.
   *
   * @param template The template; not changed.
   * @throws TemplateException at the first thing that cannot be generated, naming its JSON pointer.
   */
  public GeneratedManifest expand(ObjectNode template, Platform platform) throws TemplateException {
    List<String> warnings = new ArrayList<>();
    ObjectNode manifest = template.deepCopy();
    JsonNode schemaTemplate = manifest.remove("$schema-template");
    if (schemaTemplate != null && !SCHEMA_TEMPLATE.equals(schemaTemplate.asText())) {
      warnings.add("/$schema-template: " + schemaTemplate + " is not the template version " + SCHEMA_TEMPLATE
          + " this generator was written for");
    }
    applyOverlays(manifest, "", platform);
    Placeholders placeholders = new Placeholders(variables, (folder, imagePlatform, pointer) -> {
      ModuleDescriptor module = modules.byFolder(folder).orElseThrow(() -> new TemplateException(pointer,
          "${MODULES." + folder + "}: no module.json in a module folder '" + folder + "'; the folders with one are "
              + modules.folders()));
      return module.image(imagePlatform == null ? platform.imagePlatformOf(module) : imagePlatform, variables,
          pointer);
    });
    JsonNode expanded = expandStrings(manifest, "", placeholders);
    ObjectNode result = (ObjectNode) expanded;
    for (String group : List.of("systemModules", "modules")) {
      JsonNode modulesNode = result.at(AGENT_DESIRED + "/" + group);
      if (modulesNode.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = modulesNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> module = it.next();
          JsonNode settings = module.getValue().get("settings");
          if (settings instanceof ObjectNode settingsObject) {
            String pointer = JsonPointers.child(JsonPointers.child(AGENT_DESIRED + "/" + group, module.getKey()),
                "settings");
            module.setValue(withSettings((ObjectNode) module.getValue(), chunked(settingsObject, pointer, warnings)));
          }
        }
      }
    }
    return new GeneratedManifest(platform, result, warnings);
  }

  private static ObjectNode withSettings(ObjectNode module, ObjectNode settings) {
    module.set("settings", settings);
    return module;
  }

  private static void applyOverlays(JsonNode node, String pointer, Platform platform) throws TemplateException {
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        applyOverlays(array.get(i), JsonPointers.child(pointer, i), platform);
      }
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    JsonNode overlays = object.remove(PLATFORMS_KEY);
    if (overlays != null) {
      String overlaysPointer = JsonPointers.child(pointer, PLATFORMS_KEY);
      if (!overlays.isObject()) {
        throw new TemplateException(overlaysPointer, "expected an object of platform name to overlay, found "
            + overlays.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
      for (Iterator<String> names = overlays.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        try {
          Platform.of(name);
        } catch (IllegalArgumentException e) {
          throw new TemplateException(JsonPointers.child(overlaysPointer, name), e.getMessage());
        }
      }
      JsonNode overlay = overlays.get(platform.manifestName());
      if (overlay != null) {
        if (!overlay.isObject()) {
          throw new TemplateException(JsonPointers.child(overlaysPointer, platform.manifestName()),
              "expected an object to merge into " + (pointer.isEmpty() ? "the template" : pointer));
        }
        mergePatch(object, (ObjectNode) overlay);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      applyOverlays(field.getValue(), JsonPointers.child(pointer, field.getKey()), platform);
    }
  }

  /** RFC 7386: objects merge recursively, {@code null} removes, anything else replaces. */
  private static void mergePatch(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      JsonNode existing = target.get(field.getKey());
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject() && existing instanceof ObjectNode existingObject) {
        mergePatch(existingObject, (ObjectNode) value);
      } else {
        target.set(field.getKey(), value.deepCopy());
      }
    }
  }

  private static JsonNode expandStrings(JsonNode node, String pointer, Placeholders placeholders)
      throws TemplateException {
    if (node.isTextual()) {
      return TextNode.valueOf(placeholders.expand(node.textValue(), pointer));
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, expandStrings(array.get(i), JsonPointers.child(pointer, i), placeholders));
      }
    } else if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        field.setValue(expandStrings(field.getValue(), JsonPointers.child(pointer, field.getKey()), placeholders));
      }
    }
    return node;
  }

  private static ObjectNode chunked(ObjectNode settings, String pointer, List<String> warnings)
      throws TemplateException {
    JsonNode createOptions = settings.get("createOptions");
    if (createOptions == null || (createOptions.isTextual()
        && createOptions.textValue().length() <= CreateOptions.CHUNK_SIZE)) {
      return settings;
    }
    String optionsPointer = JsonPointers.child(pointer, "createOptions");
    for (CreateOptions.Chunk chunk : CreateOptions.chunksOf(settings)) {
      if (!chunk.key().equals("createOptions")) {
        throw new TemplateException(JsonPointers.child(pointer, chunk.key()), "a chunk next to createOptions written"
            + " as " + (createOptions.isTextual() ? "a string over " + CreateOptions.CHUNK_SIZE + " characters"
            : "JSON") + "; write createOptions whole and let generation cut it");
      }
    }
    String text = createOptions.isTextual() ? createOptions.textValue() : createOptions.toString();
    List<String> chunks = CreateOptions.chunks(text);
    if (chunks.size() > CreateOptions.MAX_CHUNKS) {
      throw new TemplateException(optionsPointer, text.length() + " characters make " + chunks.size()
          + " chunks of " + CreateOptions.CHUNK_SIZE + "; edgeAgent reads at most " + CreateOptions.MAX_CHUNKS);
    }
    if (chunks.size() > CreateOptions.IOTEDGEDEV_MAX_CHUNKS) {
      warnings.add(optionsPointer + ": " + text.length() + " characters make " + chunks.size() + " chunks of "
          + CreateOptions.CHUNK_SIZE + ", over iotedgedev's " + CreateOptions.IOTEDGEDEV_MAX_CHUNKS
          + " (edgeAgent reads up to " + CreateOptions.MAX_CHUNKS + ")");
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("createOptions")) {
        for (int i = 0; i < chunks.size(); i++) {
          fields.put(CreateOptions.key(i), TextNode.valueOf(chunks.get(i)));
        }
      } else {
        fields.put(field.getKey(), field.getValue());
      }
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.setAll(fields);
    return result;
  }
}
