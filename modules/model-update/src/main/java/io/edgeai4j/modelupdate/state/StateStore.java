package io.edgeai4j.modelupdate.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps one JSON file per model ({@code <directory>/<model>.json}), each written whole to a temporary file and
 * moved over the old one atomically, so a crash leaves either the old state or the new one. Thread-safe as long
 * as one thread writes a given model (each model has one worker).
 */
public final class StateStore {
  private static final String SUFFIX = ".json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new SimpleModule("instants")
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctx) {
              return Instant.parse(value);
            }
          }))
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;

  /**
   * Creates a store in a directory, creating it.
   *
   * @throws IOException If the directory cannot be created.
   */
  public StateStore(Path directory) throws IOException {
    this.directory = Files.createDirectories(directory);
  }

  /** Returns the directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Reads every model's state.
   *
   * @return The states by model name.
   * @throws IOException If a file cannot be read or parsed; the message names it.
   */
  public Map<String, ModelState> readAll() throws IOException {
    Map<String, ModelState> states = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        ModelState state = read(file);
        states.put(state.model(), state);
      }
    }
    return states;
  }

  /** Reads one model's state, if it has one. */
  public Optional<ModelState> read(String model) throws IOException {
    Path file = file(model);
    return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
  }

  private static ModelState read(Path file) throws IOException {
    try {
      return JSON.readValue(file.toFile(), ModelState.class);
    } catch (IOException e) {
      throw new IOException(file + ": not a model state: " + e.getMessage(), e);
    }
  }

  /**
   * Replaces a model's state atomically.
   *
   * @throws UncheckedIOException If the file cannot be written.
   */
  public void write(ModelState state) {
    Path target = file(state.model());
    Path temp = directory.resolve("." + state.model() + SUFFIX + ".tmp");
    try {
      Files.write(temp, JSON.writeValueAsBytes(state));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state of model " + state.model() + " to " + target, e);
    }
  }

  private Path file(String model) {
    return directory.resolve(model + SUFFIX);
  }
}
