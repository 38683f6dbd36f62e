package io.edgeai4j.optimize.partition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@link ModelProfile}s as JSON (PROFILE.json). Stateless, thread-safe. */
public final class ProfileJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ProfileJson() {}

  /** Writes a profile, pretty-printed, creating the parent directory. */
  public static void write(ModelProfile profile, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(profile) + "\n");
  }

  /**
   * Reads a profile.
   *
   * @throws PartitionException naming the file: missing, not JSON, not a profile (the field at fault), or empty
   */
  public static ModelProfile read(Path file) throws PartitionException {
    if (!Files.isRegularFile(file)) {
      throw new PartitionException(file + ": no such file; expected a profile written by edge model profile");
    }
    ModelProfile profile;
    try {
      profile = JSON.readValue(file.toFile(), ModelProfile.class);
    } catch (JsonProcessingException e) {
      throw new PartitionException(file + ": not a profile of edge model profile: " + e.getOriginalMessage()
          + " at " + e.getLocation(), e);
    } catch (IOException e) {
      throw new PartitionException(file + ": cannot be read: " + e, e);
    }
    if (profile.nodes().isEmpty()) {
      throw new PartitionException(file + ": the profile lists no node; expected one entry per node of the model");
    }
    return profile;
  }
}
