package io.edgeai4j.deployment;

import java.util.Optional;

/**
 * A module of {@code $edgeAgent}'s {@code modules}, as the route checks see it.
 *
 * @param name Its name in the manifest.
 * @param image Its {@code settings.image}, or empty when it has none.
 * @param descriptor The {@code module.json} whose repository the image is of, if any.
 */
record DeployedModule(String name, Optional<String> image, Optional<ModuleDescriptor> descriptor) {
  /** The inputs, outputs and methods it declares, if its descriptor declares them. */
  Optional<ModuleDescriptor.Endpoints> endpoints() {
    return descriptor.flatMap(ModuleDescriptor::endpoints);
  }

  /** {@code 'name' (image X, module.json of folder F)} for messages. */
  String describe() {
    return "'" + name + "' (image " + image.orElse("none")
        + descriptor.map(d -> ", module.json of folder " + d.folder()).orElse("") + ")";
  }
}
