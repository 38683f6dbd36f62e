package io.edgeai4j.modelupdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelpackage.InvalidReleaseException;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import io.edgeai4j.modelpackage.TwinDocuments;
import io.edgeai4j.modelupdate.download.DiskSpace;
import io.edgeai4j.modelupdate.download.PackageDownloader;
import io.edgeai4j.modelupdate.pipeline.ActivationReply;
import io.edgeai4j.modelupdate.pipeline.ModelWorker;
import io.edgeai4j.modelupdate.pipeline.UpdateMetrics;
import io.edgeai4j.modelupdate.pipeline.UpdateSettings;
import io.edgeai4j.modelupdate.pipeline.VersionDirectories;
import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.StateStore;
import io.edgeai4j.modelupdate.state.UpdateState;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.WritableDirectory;
import io.edgeai4j.module.spi.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model-update module: desired property {@code models} names a release per model; each model's worker
 * downloads, verifies, unpacks and checks it, stages it under the state directory (outside the model repository
 * shared with the inference module, which therefore cannot load it early), moves it into the repository when it is
 * activated, asks the inference module to serve it (output {@value #ACTIVATE_OUTPUT}, answered on input
 * {@value #ACTIVATED_INPUT}) and keeps the last {@code keepVersions} versions. Reports each model's state in
 * {@code models.<name>} and answers direct method {@code status} with the same document.
 *
 * <p>Environment: {@value #REPOSITORY_ENV} (the repository, default {@value #DEFAULT_REPOSITORY}),
 * {@value #STATE_DIRECTORY_ENV} (state files, downloads, staged versions and archive; default
 * {@value #DEFAULT_STATE_DIRECTORY}; best on the repository's file store, where moves are renames, else version
 * directories are copied; a repository or state directory it cannot write stops the start,
 * {@link WritableDirectory}), {@value #PUBLIC_KEY_FILE_ENV} (a PEM
 * public key file; when set, the twin's {@code publicKey} may not differ from it: a different one is reported in
 * {@code twinProblems} and the file's key is used, so whoever writes desired properties cannot replace or remove
 * it; a key in the twin alone only guards against corrupted storage and downloads). With no key at all every release
 * is refused unless desired property {@code allowUnsignedReleases} is true; reported property
 * {@value #SIGNATURES_SECTION} says which applies.
 *
 * <p>Owns one worker thread per model, the downloaders and their watchdog threads; {@link #stop()} closes them (a
 * download stops and resumes at the next start). Thread-safe.
 */
public final class ModelUpdateModule implements EdgeModule {
  /** The environment variable naming the model repository. */
  public static final String REPOSITORY_ENV = "MODEL_REPOSITORY";
  /** The environment variable naming the state directory. */
  public static final String STATE_DIRECTORY_ENV = "STATE_DIRECTORY";
  /** The environment variable naming a PEM file with the release signing public key. */
  public static final String PUBLIC_KEY_FILE_ENV = "MODEL_SIGNING_PUBLIC_KEY_FILE";
  /** The repository when the environment names none (relative to the working directory). */
  public static final String DEFAULT_REPOSITORY = "model-repository";
  /** The state directory when the environment names none (relative to the working directory). */
  public static final String DEFAULT_STATE_DIRECTORY = "model-update-state";
  /** The output activation requests go to. */
  public static final String ACTIVATE_OUTPUT = "activate";
  /** The input the inference module's replies arrive on. */
  public static final String ACTIVATED_INPUT = "activated";
  /** The reported property holding each model's state. */
  public static final String REPORTED_SECTION = "models";
  /** The reported property saying how releases are verified. */
  public static final String SIGNATURES_SECTION = "signatures";

  private static final Logger LOG = LoggerFactory.getLogger(ModelUpdateModule.class);
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Duration REPORT_RETRY = Duration.ofSeconds(5);

  private final DiskSpace diskSpace;
  private final Clock clock;

  private volatile ModuleContext context;
  private Path repository;
  private Path stateDirectory;
  private PublicKey environmentKey;
  private String environmentKeyFile;
  private StateStore store;
  private UpdateMetrics metrics;

  // Guarded by this.
  private final Map<String, ModelWorker> workers = new TreeMap<>();
  private final List<PackageDownloader> downloaders = new ArrayList<>();
  private PackageDownloader downloader;
  private ArrayNode twinProblems = JsonNodeFactory.instance.arrayNode();
  private ObjectNode signatures;
  private final Map<String, String> invalidNames = new TreeMap<>();
  private boolean stopped;
  private volatile boolean reportFailed;

  /** A module that reads free space from the file system and time from the system clock. */
  public ModelUpdateModule() {
    this(DiskSpace.FILE_STORE, Clock.systemUTC());
  }

  /**
   * A module with its free-space source and clock given (for tests).
   *
   * @param diskSpace Where the downloads directory's free space comes from.
   * @param clock Where activation windows read the time.
   */
  public ModelUpdateModule(DiskSpace diskSpace, Clock clock) {
    this.diskSpace = Objects.requireNonNull(diskSpace, "diskSpace");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void start(ModuleContext moduleContext) throws Exception {
    this.context = moduleContext;
    Map<String, String> env = moduleContext.environment();
    repository = WritableDirectory.require(Path.of(env.getOrDefault(REPOSITORY_ENV, DEFAULT_REPOSITORY)),
        "the model repository (" + REPOSITORY_ENV + ")");
    stateDirectory = WritableDirectory.require(Path.of(env.getOrDefault(STATE_DIRECTORY_ENV,
        DEFAULT_STATE_DIRECTORY)), "the state, downloads and staging (" + STATE_DIRECTORY_ENV + ")");
    environmentKeyFile = env.get(PUBLIC_KEY_FILE_ENV);
    environmentKey = readKeyFile(environmentKeyFile);
    store = new StateStore(stateDirectory.resolve("state"));
    metrics = new UpdateMetrics(moduleContext.metricsRegistry());
    try {
      ObjectNode persistedStates = JsonNodeFactory.instance.objectNode();
      ObjectNode persistedModels = persistedStates.putObject(REPORTED_SECTION);
      synchronized (this) {
        StateStore.Loaded loaded = store.readAll();
        if (!loaded.setAside().isEmpty()) {
          ArrayNode setAside = persistedStates.putArray("stateFilesSetAside");
          loaded.setAside().forEach(file -> setAside.add(file.getFileName().toString()));
        }
        for (ModelState persisted : loaded.states().values()) {
          cleanLeftovers(persisted.model());
          workers.put(persisted.model(), newWorker(persisted));
          metrics.entered(persisted.model(), persisted.state(), false);
          persistedModels.set(persisted.model(), persisted.toReported());
        }
      }
      // What the last run left, reported before the desired properties move anything.
      report(persistedStates);
      moduleContext.onInput(ACTIVATED_INPUT, this::onActivated);
      moduleContext.onMethod("status", request -> MethodResponse.ok(status()));
      moduleContext.bindDesiredProperties(ModelUpdateConfig.class, (config, version) -> apply(config));
      moduleContext.schedule(REPORT_RETRY, this::reportPending);
    } catch (Exception | Error e) {
      stop();
      throw e;
    }
  }

  /** Deletes what a crash in the middle of a move left ({@code .incoming-*}, {@code .outgoing-*}). */
  private void cleanLeftovers(String model) {
    try {
      for (String leftover : new VersionDirectories(model, repository, stateDirectory).cleanLeftovers()) {
        LOG.info("Model {}: removed {}, left by an interrupted move", model, leftover);
      }
    } catch (IOException e) {
      LOG.warn("Model {}: cannot remove what an interrupted move left: {}", model, e.toString());
    }
  }

  private static PublicKey readKeyFile(String file) throws IOException {
    if (file == null || file.isBlank()) {
      return null;
    }
    try {
      return ReleaseSignatures.readPublicKey(Files.readString(Path.of(file), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PUBLIC_KEY_FILE_ENV + " " + file + ": " + e.getMessage(), e);
    }
  }

  private synchronized void apply(ModelUpdateConfig config) {
    if (stopped) {
      throw new IllegalStateException("the module is stopping");
    }
    PublicKey key = environmentKey;
    String keyProblem = null;
    if (config.publicKey() != null) {
      PublicKey twinKey;
      try {
        twinKey = ReleaseSignatures.readPublicKey(config.publicKey());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("publicKey: " + e.getMessage(), e);
      }
      if (environmentKey == null) {
        key = twinKey;
      } else if (!java.util.Arrays.equals(twinKey.getEncoded(), environmentKey.getEncoded())) {
        // Whoever can write desired properties must not replace the device's own key.
        keyProblem = "publicKey: differs from the key in " + PUBLIC_KEY_FILE_ENV + " (" + environmentKeyFile
            + "), which is used; the twin may not replace it";
        LOG.warn(keyProblem);
      }
    }
    if (downloader == null || !downloader.settings().equals(config.download())) {
      // A download in progress keeps the downloader it started with, which closes when it ends.
      if (downloader != null) {
        downloader.closeWhenIdle();
        downloaders.remove(downloader);
      }
      downloader = new PackageDownloader(config.download(), diskSpace, clock);
      downloaders.add(downloader);
    }
    UpdateSettings settings = new UpdateSettings(config.keepVersions(), key, config.activationTimeout(), downloader,
        config.allowUnsignedReleases());
    ArrayNode problems = JsonNodeFactory.instance.arrayNode();
    TwinDocuments.problems(config.toJson()).forEach(problems::add);
    if (keyProblem != null) {
      problems.add(keyProblem);
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.set("twinProblems", problems);
    twinProblems = problems;
    signatures = signatures(settings, key == null ? null : key == environmentKey ? "file" : "twin");
    patch.set(SIGNATURES_SECTION, signatures.deepCopy());
    ObjectNode invalid = patch.putObject(REPORTED_SECTION);
    for (String name : invalidNames.keySet()) {
      if (!config.models().containsKey(name)) {
        invalid.putNull(name);
      }
    }
    invalidNames.keySet().retainAll(config.models().keySet());
    for (Map.Entry<String, JsonNode> e : config.models().entrySet()) {
      String name = e.getKey();
      if (!MODEL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        String reason = "models: model name '" + name + "' must match [A-Za-z0-9_.-]{1,128}, not . or ..";
        invalidNames.put(name, reason);
        invalid.set(name, ModelState.unknown(name, clock.instant()).to(UpdateState.FAILED, clock.instant(), null,
            null).withReason(reason).toReported());
        continue;
      }
      ModelWorker worker = workers.computeIfAbsent(name, n -> newWorker(ModelState.unknown(n, clock.instant())));
      try {
        worker.desire(ModelRelease.fromJson(name, e.getValue(), REPORTED_SECTION + "." + name), settings);
      } catch (InvalidReleaseException invalidRelease) {
        JsonNode version = e.getValue().get("version");
        worker.refuse(version != null && version.canConvertToExactIntegral() ? version.asLong() : null,
            invalidRelease.getMessage());
      }
    }
    workers.forEach((name, worker) -> {
      if (!config.models().containsKey(name)) {
        worker.unmanage();
      }
    });
    report(patch);
  }

  /**
   * Reported {@value #SIGNATURES_SECTION}: {@code {"required", "allowUnsignedReleases", "key"}}, {@code key} being
   * {@code "file"} ({@value #PUBLIC_KEY_FILE_ENV}), {@code "twin"} ({@code publicKey}) or {@code "none"}.
   */
  private static ObjectNode signatures(UpdateSettings settings, String keySource) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("required", keySource != null || !settings.allowUnsignedReleases());
    node.put(UpdateSettings.ALLOW_UNSIGNED, settings.allowUnsignedReleases());
    node.put("key", keySource == null ? "none" : keySource); // a null would delete the reported key
    return node;
  }

  private ModelWorker newWorker(ModelState initial) {
    String name = initial.model();
    return new ModelWorker(initial, new VersionDirectories(name, repository, stateDirectory), store,
        new ModelWorker.Events() {
          @Override
          public void changed(ModelState state, boolean outcome) {
            metrics.entered(name, state.state(), outcome);
            ObjectNode patch = JsonNodeFactory.instance.objectNode();
            patch.putObject(REPORTED_SECTION).set(name, state.toReported());
            report(patch);
          }

          @Override
          public void activate(String requestId, String model, long version) throws Exception {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("requestId", requestId);
            body.put("model", model);
            body.put("version", version);
            context.send(ACTIVATE_OUTPUT, EdgeMessage.json(body));
          }
        }, metrics, clock);
  }

  private MessageDisposition onActivated(EdgeMessage message) {
    ActivationReply reply;
    try {
      reply = ActivationReply.fromJson(message.bodyAsJson());
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.warn("Input {}: {}", ACTIVATED_INPUT, e.getMessage());
      return MessageDisposition.REJECT;
    }
    ModelWorker worker;
    synchronized (this) {
      worker = workers.get(reply.model());
    }
    if (worker == null) {
      LOG.warn("Input {}: a reply for model '{}', which this module does not update", ACTIVATED_INPUT, reply.model());
    } else {
      worker.activated(reply);
    }
    return MessageDisposition.COMPLETE;
  }

  /** The status document: {@code {"models": {<name>: state}}}. */
  private synchronized ObjectNode status() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode models = root.putObject(REPORTED_SECTION);
    workers.forEach((name, worker) -> models.set(name, worker.state().toReported()));
    invalidNames.forEach((name, reason) -> models.set(name, ModelState.unknown(name, clock.instant())
        .to(UpdateState.FAILED, clock.instant(), null, null).withReason(reason).toReported()));
    return root;
  }

  /** Sends a reported patch; when the hub refuses it, the whole status is sent again later. */
  private void report(ObjectNode patch) {
    try {
      context.updateReportedProperties(patch);
    } catch (TransportException | RuntimeException e) {
      LOG.warn("Reported properties not sent ({}); trying again in {} s", e.toString(), REPORT_RETRY.toSeconds());
      reportFailed = true;
    }
  }

  private void reportPending() {
    if (reportFailed) {
      reportFailed = false;
      ObjectNode all = status();
      synchronized (this) {
        all.set("twinProblems", twinProblems.deepCopy());
        if (signatures != null) {
          all.set(SIGNATURES_SECTION, signatures.deepCopy());
        }
      }
      report(all);
    }
  }

  @Override
  public void stop() {
    List<ModelWorker> toClose;
    List<PackageDownloader> toCloseDownloaders;
    synchronized (this) {
      stopped = true;
      toClose = new ArrayList<>(workers.values());
      toCloseDownloaders = new ArrayList<>(downloaders);
    }
    toClose.forEach(ModelWorker::close);
    toCloseDownloaders.forEach(PackageDownloader::close);
  }
}
