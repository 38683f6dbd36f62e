package io.edgeai4j.inference.module;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The inference module's desired properties, bound by the module host. Immutable; validated once here.
 *
 * @param repository The model repository, or null for environment variable {@value #REPOSITORY_ENV}, else
 *     {@value #DEFAULT_REPOSITORY} relative to the working directory.
 * @param sharedDirectory The only directory tensors may be read from by reference ({@code "file"}), or null for
 *     environment variable {@value #SHARED_DIRECTORY_ENV}, else none (file references are refused).
 * @param backend The backend's name (e.g. {@code onnxruntime-cpu}), or null for the best available. Read at start.
 * @param backendOptions Threads, optimisation and cache of the backend. Read at start.
 * @param models The models to serve and their version policies, by model name.
 * @param features Which model classifies the {@code features} messages of each sensor, by sensor name.
 * @param windows Which model takes the {@code windows} messages (raw sample windows) of each sensor, by sensor name.
 * @param activations How input {@code activations} reassembles forwarded tensors.
 * @param maxInFlight Requests accepted and not yet answered, 1 to 100000, default 1024; over it a request is
 *     answered {@code queue_full} at once.
 */
public record InferenceConfig(Path repository, Path sharedDirectory, String backend, BackendSettings backendOptions,
    Map<String, ModelSettings> models, Map<String, FeatureMapping> features, Map<String, FeatureMapping> windows,
    ActivationSettings activations, int maxInFlight) {
  /** The environment variable naming the model repository. */
  public static final String REPOSITORY_ENV = "MODEL_REPOSITORY";
  /** The environment variable naming the shared directory. */
  public static final String SHARED_DIRECTORY_ENV = "SHARED_DIRECTORY";
  /** The repository used when neither the twin nor the environment names one. */
  public static final String DEFAULT_REPOSITORY = "model-repository";
  /** The default bound on requests in flight. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

  /** Binds from the twin; absent sections are empty or take their defaults. */
  @JsonCreator
  public static InferenceConfig of(@JsonProperty("repository") String repository,
      @JsonProperty("sharedDirectory") String sharedDirectory,
      @JsonProperty("backend") String backend,
      @JsonProperty("backendOptions") BackendSettings backendOptions,
      @JsonProperty("models") Map<String, ModelSettings> models,
      @JsonProperty("features") Map<String, FeatureMapping> features,
      @JsonProperty("windows") Map<String, FeatureMapping> windows,
      @JsonProperty("activations") ActivationSettings activations,
      @JsonProperty("maxInFlight") Integer maxInFlight) {
    return new InferenceConfig(path(repository), path(sharedDirectory), backend == null || backend.isBlank() ? null
        : backend, backendOptions == null ? BackendSettings.DEFAULT : backendOptions,
        models == null ? Map.of() : models, features == null ? Map.of() : features,
        windows == null ? Map.of() : windows, activations == null ? ActivationSettings.DEFAULT : activations,
        maxInFlight == null ? DEFAULT_MAX_IN_FLIGHT : maxInFlight);
  }

  /** The configuration of a twin with no desired properties. */
  public static InferenceConfig empty() {
    return of(null, null, null, null, null, null, null, null, null);
  }

  /** Validates names and copies. */
  public InferenceConfig {
    if (backendOptions == null) {
      throw new IllegalArgumentException("backendOptions must not be null");
    }
    for (Map.Entry<String, ModelSettings> e : models.entrySet()) {
      if (!TwinKeys.isValid(e.getKey())) {
        throw new IllegalArgumentException("models: model name '" + e.getKey() + "' " + TwinKeys.RULE);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("models." + e.getKey() + " must be an object such as"
            + " {\"versionPolicy\": {\"latest\": 1}}, found null");
      }
    }
    checkSensors("features", features);
    checkSensors("windows", windows);
    Objects.requireNonNull(activations, "activations");
    if (maxInFlight < 1 || maxInFlight > 100_000) {
      throw new IllegalArgumentException("maxInFlight must be 1 to 100000, found " + maxInFlight);
    }
    models = Collections.unmodifiableMap(new TreeMap<>(models));
    features = Collections.unmodifiableMap(new TreeMap<>(features));
    windows = Collections.unmodifiableMap(new TreeMap<>(windows));
  }

  /** Checks a sensor-to-model map ({@code features} or {@code windows}): twin-key sensor names, no null entry. */
  private static void checkSensors(String section, Map<String, FeatureMapping> sensors) {
    for (Map.Entry<String, FeatureMapping> e : sensors.entrySet()) {
      if (!TwinKeys.isValid(e.getKey())) {
        throw new IllegalArgumentException(section + ": sensor name '" + e.getKey() + "' " + TwinKeys.RULE);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(section + "." + e.getKey() + " must be an object such as"
            + " {\"model\": \"fault-classifier\"}, found null");
      }
    }
  }

  /** The repository: the twin's, else the environment's, else {@value #DEFAULT_REPOSITORY}. */
  public Path repository(Map<String, String> environment) {
    if (repository != null) {
      return repository;
    }
    String env = environment.get(REPOSITORY_ENV);
    return Path.of(env == null || env.isBlank() ? DEFAULT_REPOSITORY : env);
  }

  /** The shared directory: the twin's, else the environment's, else none. */
  public Optional<Path> sharedDirectory(Map<String, String> environment) {
    if (sharedDirectory != null) {
      return Optional.of(sharedDirectory);
    }
    String env = environment.get(SHARED_DIRECTORY_ENV);
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
  }

  private static Path path(String text) {
    return text == null || text.isBlank() ? null : Path.of(text);
  }
}
