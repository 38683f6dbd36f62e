package io.edgeai4j.modelupdate.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * Keeps one JSON file per model ({@code <directory>/<model>.json}), each written whole to a temporary file, forced
 * to disk, and moved over the old one atomically (the directory forced too where supported), so a crash or power
 * loss leaves either the old state or the new one. Thread-safe as long
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

  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

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
   * What {@link #readAll()} found.
   *
   * @param states The states by model name.
   * @param setAside The files that could not be read, each moved aside to {@code <name>.corrupt-<epoch millis>}
   *     (their new paths); their models start as never seen.
   */
  public record Loaded(Map<String, ModelState> states, List<Path> setAside) {
    /** Copies. */
    public Loaded {
      states = Map.copyOf(states);
      setAside = List.copyOf(setAside);
    }
  }

  /**
   * Reads every model's state. A file that cannot be read or parsed (a zero-length file after a power loss) is
   * moved aside, so that one bad file cannot stop the module from starting.
   *
   * @return The states, and the files set aside.
   * @throws IOException If the directory cannot be listed, or a bad file cannot be moved aside.
   */
  public Loaded readAll() throws IOException {
    Map<String, ModelState> states = new TreeMap<>();
    List<Path> setAside = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      entries.forEach(files::add);
    }
    for (Path file : files) {
      try {
        ModelState state = read(file);
        states.put(state.model(), state);
      } catch (IOException e) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        Files.move(file, aside);
        LOG.error("{}; moved aside to {}, the model starts as never seen", e.getMessage(), aside);
        setAside.add(aside);
      }
    }
    return new Loaded(states, setAside);
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
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(state));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        // On disk before the rename makes it the state: a power loss leaves the old file or the whole new one.
        out.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state of model " + state.model() + " to " + target, e);
    }
  }

  /** Makes the rename durable where the platform lets a directory be opened and forced (Linux); else nothing. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("Cannot sync directory {}: {}", directory, e.toString());
    }
  }

  private Path file(String model) {
    return directory.resolve(model + SUFFIX);
  }
}
