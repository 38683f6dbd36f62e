package io.edgeai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.SensorIngestionModule;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Gives a test's manifest its own directories: a shipped manifest names no {@code SPILL_DIRECTORY} or
 * {@code STATE_DIRECTORY} for its sensor-ingestion module, whose defaults under {@code java.io.tmpdir} (this
 * module's {@code target/} in the tests) would be shared by every test: messages one test left in the spill buffer
 * would be sent in the next one's run, and a second build of this checkout would find the spill buffer locked.
 */
public final class OwnDirectories {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OwnDirectories() {
  }

  /**
   * Returns the manifest with module {@code module}'s spill and state directories under {@code directory}.
   *
   * @throws IllegalArgumentException If the manifest has no such module.
   */
  public static String forIngestion(String manifest, String module, Path directory) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(manifest);
    if (!(root.at("/modulesContent/$edgeAgent/properties.desired/modules/" + module) instanceof ObjectNode entry)) {
      throw new IllegalArgumentException("the manifest has no module '" + module + "'");
    }
    ObjectNode env = entry.withObjectProperty("env");
    env.putObject(SensorIngestionModule.SPILL_DIRECTORY_ENV).put("value", directory.resolve("spill").toString());
    env.putObject(SensorIngestionModule.STATE_DIRECTORY_ENV).put("value", directory.resolve("state").toString());
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
