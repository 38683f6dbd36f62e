package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.failure;
import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelServerTest extends ServerTestBase {
  private static final int WIDTH = 3;
  private static final String FAST = "{\"maxQueueDelayMicros\": 0}";


  /** Versions 1, 2, 3 and 5 of model m, each {@code y = x * version}; "01" and "latest" are not versions. */
  private void fourVersions() throws Exception {
    for (long v : new long[] {1, 2, 3, 5}) {
      f.repo.scale("m", v, WIDTH, v, FAST, 1);
    }
    Files.createDirectories(root.resolve("m/01"));
    Files.createDirectories(root.resolve("m/latest"));
  }

  private static VersionPolicy policy(String text) {
    String[] parts = text.split(":");
    return parts[0].equals("latest") ? VersionPolicy.latest(Integer.parseInt(parts[1]))
        : VersionPolicy.specific(Arrays.stream(parts[1].split(" ")).map(Long::parseLong).toList());
  }

  @ParameterizedTest(name = "{0} serves [{1}], fails [{2}]")
  @CsvSource(delimiter = '|', textBlock = """
      latest:1     | 5       |
      latest:2     | 3 5     |
      latest:10    | 1 2 3 5 |
      specific:1 3 | 1 3     |
      specific:2 4 | 2       | 4
      """)
  void theVersionPolicyPicksWhatIsServed(String policy, String ready, String failed) throws Exception {
    fourVersions();
    f.server.apply(new ServingConfig(root, Map.of("m", policy(policy))));
    ModelStatus status = f.server.models().get(0);
    assertThat(status.versions().stream().filter(v -> v.state() == VersionState.READY).map(VersionStatus::version))
        .containsExactlyElementsOf(Arrays.stream(ready.split(" ")).map(Long::parseLong).toList());
    List<VersionStatus> failures = status.versions().stream().filter(v -> v.state() == VersionState.FAILED).toList();
    if (failed == null) {
      assertThat(failures).isEmpty();
    } else {
      assertThat(failures).singleElement().satisfies(v -> {
        assertThat(v.version()).isEqualTo(Long.parseLong(failed));
        assertThat(v.detail()).contains(root.resolve("m/4").toString(), "no such version directory");
      });
      assertThat(failure(f.server.infer(request("m", 4L, 1, WIDTH, 1))).kind()).isEqualTo(FailureKind.NOT_READY);
    }
    long newest = Long.parseLong(ready.substring(ready.lastIndexOf(' ') + 1));
    InferenceResult r = f.server.infer(request("m", null, 1, WIDTH, 1)).get();
    assertThat(r.version()).isEqualTo(newest);
    assertThat(r.outputs().get("y").toFloats()).containsExactly(newest, 2f * newest, 3f * newest);
    long oldest = Long.parseLong(ready.split(" ")[0]);
    assertThat(f.server.infer(request("m", oldest, 1, WIDTH, 1)).get().version()).isEqualTo(oldest);
    assertThat(status.versions()).filteredOn(v -> v.state() == VersionState.READY)
        .allSatisfy(v -> assertThat(v.loadTime()).isPositive());
    assertThat(status.descriptor().name()).isEqualTo("m");
  }

  @Test
  void aFailedLoadLeavesThePreviousVersionServing() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, FAST);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    f.repo.scale("m", 2, WIDTH, 2f, FAST);
    Files.write(root.resolve("m/2/model.onnx"), new byte[] {1, 2, 3});
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    assertThat(f.server.models().get(0).versions()).extracting(VersionStatus::version, VersionStatus::state)
        .containsExactly(tuple(1L, VersionState.READY), tuple(2L, VersionState.FAILED));
    assertThat(f.server.models().get(0).versions().get(1).detail()).contains(root.resolve("m/2/model.onnx")
        .toString());
    assertThat(f.server.infer(request("m", null, 1, WIDTH, 1)).get().version()).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "2", "state", "failed"))
        .isEqualTo(1);
  }

  @Test
  void anErrorWhileLoadingMarksTheVersionFailedClosesItsModelAndLeavesThePreviousOneServing() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, FAST);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    f.repo.scale("m", 2, WIDTH, 2f, FAST);
    f.backend.fault = inputs -> {
      throw new OutOfMemoryError("test: warm-up out of memory");
    };
    ModelStatus status = f.server.load("m", VersionPolicy.latest(1));
    f.backend.fault = null;
    assertThat(status.versions()).extracting(VersionStatus::version, VersionStatus::state)
        .containsExactly(tuple(1L, VersionState.READY), tuple(2L, VersionState.FAILED));
    assertThat(status.versions().get(1).detail()).isEqualTo(root.resolve("m/2")
        + ": the load failed: java.lang.OutOfMemoryError: test: warm-up out of memory");
    assertThat(f.backend.loadedFrom(root.resolve("m/2"))).singleElement()
        .satisfies(m -> assertThat(m.closes.get()).isEqualTo(1));
    assertThat(f.server.infer(request("m", null, 1, WIDTH, 1)).get().version()).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "2", "state", "loading"))
        .isZero();

    // Nothing serving: the same Error in the newest version falls back to the older one.
    f.server.unload("m");
    f.backend.fault = inputs -> {
      if (f.backend.loaded.get(f.backend.loaded.size() - 1).file.startsWith(root.resolve("m/2"))) {
        throw new OutOfMemoryError("test: again");
      }
    };
    status = f.server.load("m", VersionPolicy.latest(1));
    f.backend.fault = null;
    assertThat(status.versions()).extracting(VersionStatus::version, VersionStatus::state)
        .containsExactly(tuple(1L, VersionState.READY), tuple(2L, VersionState.FAILED));
  }

  @Test
  void aVersionWhoseDeclaredInputsDifferFromTheModelFailsToLoad() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, FAST);
    Files.writeString(root.resolve("m/1/model.json"), TestRepository.modelJson("m", WIDTH + 1, FAST, 1));
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    VersionStatus v = f.server.models().get(0).versions().get(0);
    assertThat(v.state()).isEqualTo(VersionState.FAILED);
    assertThat(v.detail()).contains("model.onnx", "input 'x'");
    InferenceFailure e = failure(f.server.infer(request("m", null, 1, WIDTH, 1)));
    assertThat(e.kind()).isEqualTo(FailureKind.NOT_READY);
    assertThat(f.backend.loaded).isEmpty();
  }

  @Test
  void repositoryProblemsNameThePath() throws Exception {
    Files.createDirectories(root.resolve("empty"));
    f.repo.scale("good", 1, WIDTH, 1f, FAST);
    assertThatThrownBy(() -> f.server.apply(new ServingConfig(root, Map.of("missing", VersionPolicy.latest(1),
        "empty", VersionPolicy.latest(1), "good", VersionPolicy.latest(1)))))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining(root.resolve("missing") + ": no such model directory")
        .hasMessageContaining(root.resolve("empty") + ": no version directory");
    // The good model is served all the same.
    assertThat(f.server.infer(request("good", null, 1, WIDTH, 1)).get().version()).isEqualTo(1);
    assertThatThrownBy(() -> f.server.load("../etc", VersionPolicy.latest(1)))
        .hasMessageContaining("model name '../etc' is not a directory name");
  }

  @Test
  void requestsForUnknownModelsAndVersionsFailWithTheirKind() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, FAST);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    InferenceFailure model = failure(f.server.infer(request("nope", null, 1, WIDTH, 1)));
    assertThat(model.kind()).isEqualTo(FailureKind.UNKNOWN_MODEL);
    assertThat(model.getMessage()).contains("'nope'", "[m]");
    InferenceFailure version = failure(f.server.infer(request("m", 7L, 1, WIDTH, 1)));
    assertThat(version.kind()).isEqualTo(FailureKind.UNKNOWN_VERSION);
    assertThat(version.getMessage()).contains("no version 7", "[1]");
    assertThat(f.metric("edgeai4j_inference_requests", "outcome", "unknown_model")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "unknown_version")).isEqualTo(1);
  }

  @Test
  void loadAndUnloadServeAndStopServingAModel() throws Exception {
    f.repo.scale("a", 1, WIDTH, 1f, FAST);
    f.repo.scale("b", 1, WIDTH, 1f, FAST);
    f.server.apply(new ServingConfig(root, Map.of("a", VersionPolicy.latest(1))));
    assertThat(failure(f.server.infer(request("b", null, 1, WIDTH, 1))).kind())
        .isEqualTo(FailureKind.UNKNOWN_MODEL);
    ModelStatus b = f.server.load("b", VersionPolicy.latest(1));
    assertThat(b.versions()).extracting(VersionStatus::state).containsExactly(VersionState.READY);
    assertThat(f.server.models()).extracting(ModelStatus::name).containsExactly("a", "b");
    assertThat(f.server.infer(request("b", null, 1, WIDTH, 1)).get().model()).isEqualTo("b");
    f.server.unload("a");
    assertThat(failure(f.server.infer(request("a", null, 1, WIDTH, 1))).kind())
        .isEqualTo(FailureKind.UNKNOWN_MODEL);
    await().atMost(Duration.ofSeconds(20)).until(() -> f.backend.loadedFrom(root.resolve("a/1")).get(0).closed());
    // apply drops the models it does not list
    f.server.apply(new ServingConfig(root, Map.of()));
    assertThat(f.server.models()).isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> f.backend.loadedFrom(root.resolve("b/1")).get(0).closed());
  }

  @Test
  void closeRefusesNewRequestsDrainsAcceptedOnesAndClosesEveryModel() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, "{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0}");
    f.repo.scale("n", 1, WIDTH, 1f, FAST);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1), "n", VersionPolicy.latest(1))));
    f.backend.holdRuns();
    CompletableFuture<InferenceResult> running = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 1));
    f.backend.awaitRunAtGate();
    CompletableFuture<InferenceResult> queued = f.server.infer(request("m", null, 1, WIDTH, 2));
    Thread closer = new Thread(f.server::close, "closer");
    closer.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> f.server.infer(request("n", null, 1, WIDTH, 1))
        .handle((r, e) -> e instanceof InferenceFailure x && x.kind() == FailureKind.SHUTTING_DOWN).join());
    assertThat(closer.isAlive()).isTrue();
    assertThat(f.backend.loadedFrom(root.resolve("m/1")).get(0).closed()).isFalse();
    f.backend.openGate();
    closer.join(20_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(running.get().version()).isEqualTo(1);
    assertThat(queued.get().outputs().get("y").toFloats()[0]).isEqualTo(2f);
    assertThat(f.backend.loaded).hasSize(2).allSatisfy(m -> assertThat(m.closes.get()).isEqualTo(1));
    f.server.close();
    assertThat(f.backend.loaded).allSatisfy(m -> assertThat(m.closes.get()).isEqualTo(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("serving-")));
  }

  private void describedVersion(long v) throws Exception {
    f.repo.scale("m", v, WIDTH, v, FAST, 1);
    Path json = root.resolve("m/" + v + "/model.json");
    Files.writeString(json, Files.readString(json).replace("y = x * scale", "version " + v));
  }

  @Test
  void descriptorsAreThoseOfTheVersionRoutedToOrAsked() throws Exception {
    describedVersion(1);
    describedVersion(2);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(2))));
    assertThat(f.server.routedDescriptor("m", null)).get().extracting(ModelDescriptor::description)
        .isEqualTo("version 2");
    assertThat(f.server.routedDescriptor("m", 1L)).get().extracting(ModelDescriptor::description)
        .isEqualTo("version 1");
    assertThat(f.server.routedDescriptor("m", 7L)).isEmpty();
    assertThat(f.server.routedDescriptor("nope", null)).isEmpty();
    assertThat(f.server.descriptor("m", 1)).get().extracting(ModelDescriptor::description).isEqualTo("version 1");
    assertThat(f.server.descriptor("m", 7)).isEmpty();
    // Version 2 retired: requests go to 1, and an answer from 2 can still be described.
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.specific(List.of(1L)))));
    await().atMost(Duration.ofSeconds(20)).until(() -> f.backend.loadedFrom(root.resolve("m/2")).get(0).closed());
    assertThat(f.server.routedDescriptor("m", null)).get().extracting(ModelDescriptor::description)
        .isEqualTo("version 1");
    assertThat(f.server.routedDescriptor("m", 2L)).isEmpty();
    assertThat(f.server.descriptor("m", 2)).get().extracting(ModelDescriptor::description).isEqualTo("version 2");
    f.server.close();
    assertThat(f.server.routedDescriptor("m", null)).isEmpty();
  }

  @Test
  void inputsBuiltFromADescriptorAreBuiltWithTheVersionThatRunsThem() throws Exception {
    describedVersion(1);
    describedVersion(2);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(2))));
    List<String> builtFor = new java.util.concurrent.CopyOnWriteArrayList<>();
    RequestInputs inputs = d -> {
      builtFor.add(d.description());
      return request("m", null, 1, WIDTH, 1).inputs();
    };
    InferenceResult newest = f.server.infer("m", null, "c-1", inputs).get();
    assertThat(newest.version()).isEqualTo(2);
    assertThat(f.server.infer("m", 1L, "c-2", inputs).get().version()).isEqualTo(1);
    assertThat(builtFor).containsExactly("version 2", "version 1");
    // A request that cannot be built for its version fails with the builder's failure; one never routed is not built.
    InferenceFailure bad = failure(f.server.infer("m", null, "c-3", d -> {
      throw new InferenceFailure(FailureKind.BAD_INPUT, "no featureInput in " + d.description(), null);
    }));
    assertThat(bad.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(bad.getMessage()).isEqualTo("no featureInput in version 2");
    assertThat(failure(f.server.infer("m", 7L, "c-4", inputs)).kind()).isEqualTo(FailureKind.UNKNOWN_VERSION);
    assertThat(builtFor).hasSize(2);
  }

  private double state(String version, String state) {
    return f.metric("edgeai4j_inference_model_state", "model", "m", "version", version, "state", state);
  }

  @Test
  void aVersionLoadedAgainKeepsItsReadyStateWhenItsDrainingCopyCloses() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, "{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0}", 0);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    f.backend.holdRuns();
    CompletableFuture<InferenceResult> held = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 1));
    f.backend.awaitRunAtGate();
    f.server.unload("m");
    assertThat(state("1", "draining")).isEqualTo(1);
    f.server.load("m", VersionPolicy.latest(1));
    assertThat(state("1", "ready")).isEqualTo(1);
    f.backend.openGate();
    assertThat(held.get().version()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> f.backend.loaded.get(0).closed());
    // The first copy's DRAINING and UNLOADED came after the second copy's READY: they must not show.
    assertThat(state("1", "ready")).isEqualTo(1);
    assertThat(state("1", "unloaded")).isZero();
    assertThat(state("1", "draining")).isZero();
    assertThat(f.server.infer(request("m", null, 1, WIDTH, 2)).get().version()).isEqualTo(1);
  }

  @Test
  void aFailedVersionThePolicyNoLongerPicksIsNoLongerShownFailed() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, FAST, 1);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.specific(List.of(1L, 4L)))));
    assertThat(state("4", "failed")).isEqualTo(1);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.specific(List.of(1L)))));
    assertThat(state("4", "failed")).isZero();
    assertThat(state("4", "unloaded")).isEqualTo(1);
    assertThat(state("1", "ready")).isEqualTo(1);
  }

  @Test
  void requestsRefusedAtShutdownAreCountedWithoutTheClientsModelName() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, FAST, 1);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    f.server.close();
    assertThat(failure(f.server.infer(request("anything-a-client-sends", null, 1, WIDTH, 1))).kind())
        .isEqualTo(FailureKind.SHUTTING_DOWN);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "anything-a-client-sends")).isZero();
    assertThat(f.metric("edgeai4j_inference_requests", "model", "", "version", "", "outcome", "shutting_down"))
        .isEqualTo(1);
  }

  @Test
  void requestsRacingWithCloseAreToldTheServerIsShuttingDown() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, FAST, 0);
    List<FailureKind> kinds = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int round = 0; round < 20; round++) {
      ModelServer server = new ModelServer(f.backend, f.registry, "race");
      server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
      java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
      List<Thread> clients = new java.util.ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Thread t = new Thread(() -> {
          started.countDown();
          while (true) {
            Throwable e = server.infer(request("m", null, 1, WIDTH, 1)).handle((r, x) -> x).join();
            if (e != null) {
              Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
              kinds.add(cause instanceof InferenceFailure x ? x.kind() : null);
              return;
            }
          }
        });
        clients.add(t);
        t.start();
      }
      started.await();
      server.close();
      for (Thread t : clients) {
        t.join(20_000);
      }
    }
    assertThat(kinds).hasSize(80).containsOnly(FailureKind.SHUTTING_DOWN);
  }
}
