package io.edgeai4j.module.host;

import static io.edgeai4j.module.metrics.MetricValues.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.UnknownKeys;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.retry.BackoffPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ModuleHostTest {
  /** The configuration the tests bind the desired properties to. */
  record Config(int threshold, Duration window) {
    Config {
      if (threshold < 0) {
        throw new IllegalArgumentException("threshold must not be negative, was " + threshold);
      }
    }
  }

  /** A module whose start is given by the test. */
  private static class TestModule implements EdgeModule {
    interface Start {
      void start(ModuleContext context) throws Exception;
    }

    private final Start start;
    final AtomicInteger stops = new AtomicInteger();
    volatile ModuleContext context;

    TestModule(Start start) {
      this.start = start;
    }

    @Override
    public void start(ModuleContext ctx) throws Exception {
      this.context = ctx;
      start.start(ctx);
    }

    @Override
    public void stop() {
      stops.incrementAndGet();
    }
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final InMemoryTransport transport =
      new InMemoryTransport("filter", "{'threshold': 5, 'window': 'PT10S', '$version': 3}");
  private final List<ModuleHost> hosts = new ArrayList<>();
  private final List<Runnable> restoreLogging = new ArrayList<>();

  @AfterEach
  void stopHosts() {
    hosts.forEach(ModuleHost::stop);
  }

  @AfterEach
  void restoreLogging() {
    restoreLogging.forEach(Runnable::run);
  }

  /** Captures what a class logs at a level and above, for the rest of the test. */
  private ListAppender<ILoggingEvent> captureLog(Class<?> type, Level level) {
    Logger logger = (Logger) LoggerFactory.getLogger(type);
    Level previous = logger.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(level);
    restoreLogging.add(() -> {
      logger.detachAppender(appender);
      logger.setLevel(previous);
    });
    return appender;
  }

  /** Returns the messages logged so far at a level and above; safe while other threads log. */
  private static List<String> messages(ListAppender<ILoggingEvent> appender, Level atLeast) {
    List<ILoggingEvent> events;
    synchronized (appender) { // AppenderBase appends under the appender's lock
      events = new ArrayList<>(appender.list);
    }
    return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  private ModuleHost host(TestModule module) {
    return host(module, Duration.ofSeconds(5));
  }

  private ModuleHost host(TestModule module, Duration drainTimeout) {
    ModuleHost host = ModuleHost.builder()
        .module(module)
        .transport(transport)
        .metricsRegistry(registry)
        .drainTimeout(drainTimeout)
        .build();
    hosts.add(host);
    return host;
  }

  private double metric(String name, String... labels) {
    return value(registry, name, labels);
  }

  @Test
  void handlesMessagesOfOneInputInOrderAndOneAtATime() throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    ModuleHost host = host(new TestModule(ctx -> ctx.onInput("numbers", msg -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      seen.add(msg.bodyAsJson().get("n").asInt());
      running.decrementAndGet();
      return MessageDisposition.COMPLETE;
    })));
    host.start();

    for (int i = 0; i < 50; i++) {
      assertThat(transport.deliver("numbers", EdgeMessage.json("{\"n\": " + i + "}")))
          .isEqualTo(MessageDisposition.COMPLETE);
    }
    List<CompletableFuture<MessageDisposition>> concurrent = new ArrayList<>();
    for (int i = 50; i < 80; i++) {
      concurrent.add(transport.deliverAsync("numbers", EdgeMessage.json("{\"n\": " + i + "}")));
    }
    CompletableFuture.allOf(concurrent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

    assertThat(seen.subList(0, 50)).containsExactlyElementsOf(range(0, 50));
    assertThat(seen).hasSize(80);
    assertThat(maxRunning).hasValue(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "numbers",
        "disposition", "complete")).isEqualTo(80);
    assertThat(metric(FrameworkMetrics.INPUTS_IN_FLIGHT, "module", "filter")).isZero();
  }

  @Test
  void differentInputsRunConcurrentlyAndHandlersSeeTheirInputName() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> inputNames = new CopyOnWriteArrayList<>();
    ModuleHost host = host(new TestModule(ctx -> {
      ctx.onInput("slow", msg -> {
        release.await();
        return MessageDisposition.COMPLETE;
      });
      ctx.onInput("fast", msg -> {
        inputNames.add(msg.systemProperty(SystemProperties.INPUT_NAME).orElseThrow());
        return MessageDisposition.COMPLETE;
      });
    }));
    host.start();

    CompletableFuture<MessageDisposition> slow = transport.deliverAsync("slow", EdgeMessage.text("a"));
    assertThat(transport.deliver("fast", EdgeMessage.text("b"))).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(slow).isNotDone();
    release.countDown();

    assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(inputNames).containsExactly("fast");
  }

  @Test
  void aFailingHandlerRejectsTheMessageAndIsCounted() throws Exception {
    ModuleHost host = host(new TestModule(ctx -> ctx.onInput("in", msg -> {
      throw new IllegalStateException("cannot parse");
    })));
    host.start();

    assertThat(transport.deliver("in", EdgeMessage.text("x"))).isEqualTo(MessageDisposition.REJECT);

    assertThat(metric(FrameworkMetrics.INPUT_ERRORS, "module", "filter", "input", "in")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "in",
        "disposition", "reject")).isEqualTo(1);
    assertThat(host.state()).isEqualTo(ModuleHost.State.RUNNING);
  }

  @Test
  void aMessageOnAnInputWithoutHandlerIsRejected() throws Exception {
    ModuleHost host = host(new TestModule(ctx -> ctx.onInput("in", msg -> MessageDisposition.COMPLETE)));
    host.start();

    assertThat(transport.deliver("typo", EdgeMessage.text("x"))).isEqualTo(MessageDisposition.REJECT);

    assertThat(metric(FrameworkMetrics.INPUT_ERRORS, "module", "filter", "input", "typo")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "typo",
        "disposition", "reject")).isEqualTo(1);
  }

  @Test
  void handlersMustBeRegisteredOnceAndDuringStart() throws Exception {
    TestModule module = new TestModule(ctx -> {
      ctx.onInput("in", msg -> MessageDisposition.COMPLETE);
      assertThatThrownBy(() -> ctx.onInput("in", msg -> MessageDisposition.COMPLETE))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("'in'");
    });
    ModuleHost host = host(module);
    host.start();

    assertThatThrownBy(() -> module.context.onMethod("late", r -> MethodResponse.ok(r.payload())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("EdgeModule.start()");
  }

  @Test
  void sendRefusesMessagesOverTheLimitAndAddsTheOutputName() throws Exception {
    TestModule module = new TestModule(ctx -> {});
    host(module).start();
    EdgeMessage big = EdgeMessage.builder().body(new byte[300 * 1024]).build();
    EdgeMessage fits = EdgeMessage.builder().body(new byte[200 * 1024]).property("kind", "frame").build();

    assertThatThrownBy(() -> module.context.send("frames", big))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("'frames'")
        .hasMessageContaining(String.valueOf(300 * 1024 + "outputName".length() + "frames".length()))
        .hasMessageContaining(String.valueOf(EdgeMessage.MAX_SIZE_BYTES));
    module.context.send("frames", fits);

    assertThat(transport.sent).hasSize(1);
    InMemoryTransport.Sent sent = transport.sent.get(0);
    assertThat(sent.output()).isEqualTo("frames");
    assertThat(sent.message().bodyLength()).isEqualTo(200 * 1024);
    assertThat(sent.message().systemProperty(SystemProperties.OUTPUT_NAME)).hasValue("frames");
    assertThat(sent.message().property("kind")).hasValue("frame");
    assertThat(metric(FrameworkMetrics.MESSAGES_REFUSED, "module", "filter", "output", "frames",
        "reason", "too_large")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_SENT, "module", "filter", "output", "frames")).isEqualTo(1);
  }

  @Test
  void aTransportFailureOnSendIsRethrownAndCounted() throws Exception {
    TestModule module = new TestModule(ctx -> {});
    host(module).start();
    transport.sendFailure = new TransportException("no PUBACK", true, null);

    assertThatThrownBy(() -> module.context.send("out", EdgeMessage.text("x")))
        .isSameAs(transport.sendFailure);

    assertThat(metric(FrameworkMetrics.MESSAGES_REFUSED, "module", "filter", "output", "out",
        "reason", "transport")).isEqualTo(1);
  }

  @Test
  void dispatchesMethodsAndAnswers404And500() throws Exception {
    host(new TestModule(ctx -> {
      ctx.onMethod("echo", request -> MethodResponse.ok(request.payload()));
      ctx.onMethod("reset", request -> {
        throw new IllegalArgumentException("nothing to reset");
      });
    })).start();

    MethodResponse ok = transport.invoke("echo", "{'a': 1}");
    MethodResponse missing = transport.invoke("rest", "{}");
    MethodResponse failed = transport.invoke("reset", "{}");

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.payload()).isEqualTo(InMemoryTransport.json("{'a': 1}"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.payload().get("error").asText())
        .contains("no method 'rest'").contains("[echo, reset]");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.payload().get("error").asText()).contains("nothing to reset");
    assertThat(metric(FrameworkMetrics.METHOD_CALLS, "module", "filter", "method", "echo", "status", "200"))
        .isEqualTo(1);
    assertThat(metric(FrameworkMetrics.METHOD_CALLS, "module", "filter", "method",
        FrameworkMetrics.UNREGISTERED_METHOD, "status", "404")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.METHOD_CALLS, "module", "filter", "method", "reset", "status", "500"))
        .isEqualTo(1);
  }

  @Test
  void bindsTheDesiredPropertiesAtStartAndReportsThem() throws Exception {
    List<String> applied = new CopyOnWriteArrayList<>();
    host(new TestModule(ctx -> ctx.bindDesiredProperties(Config.class,
        (config, version) -> applied.add(version + ":" + config)))).start();

    assertThat(applied).containsExactly("3:" + new Config(5, Duration.ofSeconds(10)));
    assertThat(transport.reported().get("configurationStatus").toString())
        .isEqualTo("{\"version\":3,\"status\":\"applied\"}");
    assertThat(transport.twinReads).hasValue(1);
    assertThat(metric(FrameworkMetrics.DESIRED_VERSION, "module", "filter")).isEqualTo(3);
    assertThat(metric(FrameworkMetrics.TWIN_FULL_READS, "module", "filter", "reason", "start")).isEqualTo(1);
  }

  @Test
  void aDesiredDocumentThatDoesNotBindAtStartFailsTheBinding() {
    transport.setDesired("{'threshold': 5, 'windw': 'PT10S', '$version': 3}");
    ModuleHost host = host(new TestModule(
        ctx -> ctx.bindDesiredProperties(Config.class, UnknownKeys.REFUSE, (c, v) -> {})));

    assertThatThrownBy(host::start)
        .isInstanceOf(ModuleStartException.class)
        .hasMessageContaining("EdgeModule.start()")
        .hasCauseInstanceOf(DesiredPropertiesException.class)
        .cause().hasMessageContaining("\"windw\"").hasMessageContaining("Config");
    assertThat(transport.reported().at("/configurationStatus/status").asText()).isEqualTo("invalid");
    assertThat(transport.closes).hasValue(1);
  }

  @Test
  void mergesSequentialPatches() throws Exception {
    List<Config> applied = new CopyOnWriteArrayList<>();
    List<Long> versions = new CopyOnWriteArrayList<>();
    host(new TestModule(ctx -> ctx.bindDesiredProperties(Config.class, (config, version) -> {
      applied.add(config);
      versions.add(version);
    }))).start();

    transport.patchDesired("{'threshold': 7, '$version': 4}");
    transport.patchDesired("{'window': null, '$version': 5}");
    transport.patchDesired("{'window': 'PT1M', '$version': 6}");
    transport.patchDesired("{'threshold': 99, '$version': 6}");

    await().atMost(Duration.ofSeconds(5)).until(() -> versions.size() == 4);
    assertThat(applied).containsExactly(
        new Config(5, Duration.ofSeconds(10)),
        new Config(7, Duration.ofSeconds(10)),
        new Config(7, null),
        new Config(7, Duration.ofMinutes(1)));
    assertThat(versions).containsExactly(3L, 4L, 5L, 6L);
    assertThat(transport.twinReads).hasValue(1);
    await().atMost(Duration.ofSeconds(5)).until(
        () -> metric(FrameworkMetrics.DESIRED_VERSION, "module", "filter") == 6);
  }

  @Test
  void aSkippedVersionMakesTheHostReadTheWholeTwin() throws Exception {
    List<Config> applied = new CopyOnWriteArrayList<>();
    host(new TestModule(ctx -> ctx.bindDesiredProperties(Config.class, (config, version) -> applied.add(config))))
        .start();
    // Versions 4 to 6 were lost; the twin now holds version 7.
    transport.setDesired("{'threshold': 9, 'window': 'PT2S', '$version': 7}");

    transport.patchDesired("{'window': 'PT2S', '$version': 7}");

    await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 2);
    assertThat(applied.get(1)).isEqualTo(new Config(9, Duration.ofSeconds(2)));
    assertThat(transport.twinReads).hasValue(2);
    assertThat(metric(FrameworkMetrics.TWIN_FULL_READS, "module", "filter", "reason", "version_gap"))
        .isEqualTo(1);
    assertThat(transport.reported().at("/configurationStatus/version").asLong()).isEqualTo(7);
  }

  @Test
  void anInvalidConfigurationKeepsThePreviousOneAndIsReported() throws Exception {
    List<Config> applied = new CopyOnWriteArrayList<>();
    host(new TestModule(ctx -> ctx.bindDesiredProperties(Config.class, (config, version) -> applied.add(config))))
        .start();

    transport.patchDesired("{'threshold': 'high', '$version': 4}");
    await().atMost(Duration.ofSeconds(5)).until(
        () -> transport.reported().at("/configurationStatus/version").asLong() == 4);
    assertThat(transport.reported().get("configurationStatus").get("status").asText()).isEqualTo("invalid");
    assertThat(transport.reported().get("configurationStatus").get("error").asText())
        .contains("Config").contains("threshold").contains("high");

    transport.patchDesired("{'threshold': -1, '$version': 5}");
    await().atMost(Duration.ofSeconds(5)).until(
        () -> transport.reported().at("/configurationStatus/version").asLong() == 5);
    assertThat(transport.reported().at("/configurationStatus/error").asText())
        .contains("threshold must not be negative");

    transport.patchDesired("{'threshold': 8, '$version': 6}");
    await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 2);
    assertThat(applied).containsExactly(new Config(5, Duration.ofSeconds(10)), new Config(8, Duration.ofSeconds(10)));
    assertThat(transport.reported().get("configurationStatus").toString())
        .isEqualTo("{\"version\":6,\"status\":\"applied\"}");
  }

  @Test
  void aListenerThatRefusesTheConfigurationKeepsThePreviousOne() throws Exception {
    List<Config> applied = new CopyOnWriteArrayList<>();
    host(new TestModule(ctx -> ctx.bindDesiredProperties(Config.class, (config, version) -> {
      if (config.threshold() > 100) {
        throw new IllegalArgumentException("threshold over 100 is not supported by this sensor");
      }
      applied.add(config);
    }))).start();

    transport.patchDesired("{'threshold': 101, '$version': 4}");

    await().atMost(Duration.ofSeconds(5)).until(
        () -> transport.reported().at("/configurationStatus/version").asLong() == 4);
    assertThat(transport.reported().at("/configurationStatus/status").asText()).isEqualTo("invalid");
    assertThat(transport.reported().at("/configurationStatus/error").asText())
        .contains("threshold over 100 is not supported");
    assertThat(applied).containsExactly(new Config(5, Duration.ofSeconds(10)));
  }

  @Test
  void stopDrainsInFlightInputAndAbandonsLaterInput() throws Exception {
    CountDownLatch handling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> events = new CopyOnWriteArrayList<>();
    TestModule module = new TestModule(ctx -> ctx.onInput("in", msg -> {
      handling.countDown();
      release.await();
      events.add("handled " + msg.bodyAsString());
      return MessageDisposition.COMPLETE;
    })) {
      @Override
      public void stop() {
        events.add("module stopped");
        super.stop();
      }
    };
    ModuleHost host = host(module);
    host.start();
    CompletableFuture<MessageDisposition> inFlight = transport.deliverAsync("in", EdgeMessage.text("first"));
    assertThat(handling.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(host::stop);
    await().atMost(Duration.ofSeconds(5)).until(() -> host.state() == ModuleHost.State.STOPPING);
    assertThat(host.isReady()).isFalse();
    MessageDisposition late = transport.deliver("in", EdgeMessage.text("second"));
    assertThat(stopping).isNotDone();
    release.countDown();
    stopping.get(5, TimeUnit.SECONDS);

    assertThat(late).isEqualTo(MessageDisposition.ABANDON);
    assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(events).containsExactly("handled first", "module stopped");
    assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
    assertThat(transport.closes).hasValue(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "in",
        "disposition", "abandon")).isEqualTo(1);
  }

  @Test
  void stopCutsOffHandlersAtTheDrainTimeoutAndAbandonsTheirMessages() throws Exception {
    CountDownLatch handling = new CountDownLatch(1);
    TestModule module = new TestModule(ctx -> ctx.onInput("in", msg -> {
      handling.countDown();
      new CountDownLatch(1).await();
      return MessageDisposition.COMPLETE;
    }));
    ModuleHost host = host(module, Duration.ofMillis(100));
    host.start();
    CompletableFuture<MessageDisposition> stuck = transport.deliverAsync("in", EdgeMessage.text("a"));
    assertThat(handling.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<MessageDisposition> queued = transport.deliverAsync("in", EdgeMessage.text("b"));
    await().atMost(Duration.ofSeconds(5)).until(
        () -> metric(FrameworkMetrics.INPUTS_IN_FLIGHT, "module", "filter") == 2);

    host.stop();

    assertThat(stuck.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.ABANDON);
    assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.ABANDON);
    assertThat(module.stops).hasValue(1);
    assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
  }

  @Test
  void stopIsIdempotent() throws Exception {
    TestModule module = new TestModule(ctx -> {});
    ModuleHost host = host(module);
    host.start();

    host.stop();
    host.stop();

    assertThat(module.stops).hasValue(1);
    assertThat(transport.closes).hasValue(1);
    assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
    assertThat(host.awaitStopped(Duration.ZERO)).isTrue();
    assertThatThrownBy(host::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stopBeforeStartClosesTheTransport() {
    ModuleHost host = host(new TestModule(ctx -> {}));

    host.stop();

    assertThat(transport.closes).hasValue(1);
    assertThat(transport.opens).hasValue(0);
    assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
  }

  @Test
  void aTransportThatCannotOpenFailsTheStartAndIsClosed() {
    transport.openFailure = new TransportException("edgeHub refused the connection: NOT_AUTHORIZED", false, null);
    TestModule module = new TestModule(ctx -> {});
    ModuleHost host = host(module);

    assertThatThrownBy(host::start)
        .isInstanceOfSatisfying(ModuleStartException.class,
            e -> assertThat(e.stage()).isEqualTo(ModuleStartException.Stage.OPEN_TRANSPORT))
        .hasMessageContaining("device-1/filter")
        .hasMessageContaining("opening the transport")
        .hasMessageContaining("NOT_AUTHORIZED");
    assertThat(transport.closes).hasValue(1);
    assertThat(module.context).isNull();
    assertThat(host.state()).isEqualTo(ModuleHost.State.FAILED);
    assertThat(host.isLive()).isFalse();
  }

  @Test
  void aTwinThatCannotBeReadFailsTheStart() {
    transport.twinFailure = new TransportException("twin GET timed out", true, null);
    ModuleHost host = host(new TestModule(ctx -> {}));

    assertThatThrownBy(host::start)
        .isInstanceOfSatisfying(ModuleStartException.class,
            e -> assertThat(e.stage()).isEqualTo(ModuleStartException.Stage.READ_TWIN))
        .hasMessageContaining("twin GET timed out");
    assertThat(transport.closes).hasValue(1);
  }

  @Test
  void aModuleThatFailsToStartClosesEverything() {
    AtomicInteger runs = new AtomicInteger();
    TestModule module = new TestModule(ctx -> {
      ctx.schedule(Duration.ofMillis(1), runs::incrementAndGet);
      throw new IllegalStateException("model file /models/a.onnx not found");
    });
    ModuleHost host = host(module);

    assertThatThrownBy(host::start)
        .isInstanceOfSatisfying(ModuleStartException.class,
            e -> assertThat(e.stage()).isEqualTo(ModuleStartException.Stage.START_MODULE))
        .hasMessageContaining("model file /models/a.onnx not found");
    assertThat(transport.closes).hasValue(1);
    assertThat(module.stops).hasValue(0);
    assertThatThrownBy(() -> module.context.schedule(Duration.ofMillis(1), () -> {}))
        .isInstanceOf(IllegalStateException.class);
    assertThat(transport.deliver("in", EdgeMessage.text("x"))).isEqualTo(MessageDisposition.ABANDON);
  }

  @Test
  void forwardsConnectionStatusAndReportsReadiness() throws Exception {
    List<ConnectionStatusChange> changes = new CopyOnWriteArrayList<>();
    TestModule module = new TestModule(ctx -> ctx.onConnectionStatusChange(changes::add));
    ModuleHost host = host(module);
    assertThat(host.isReady()).isFalse();
    host.start();
    assertThat(host.isReady()).isTrue();
    assertThat(metric(FrameworkMetrics.CONNECTED, "module", "filter")).isEqualTo(1);

    transport.status(ConnectionStatus.DISCONNECTED_RETRYING, "NO_NETWORK");

    assertThat(changes).extracting(ConnectionStatusChange::status)
        .containsExactly(ConnectionStatus.DISCONNECTED_RETRYING);
    assertThat(module.context.connectionStatus()).isEqualTo(ConnectionStatus.DISCONNECTED_RETRYING);
    assertThat(host.isReady()).isFalse();
    assertThat(host.isLive()).isTrue();
    assertThat(host.describe()).isEqualTo("RUNNING, DISCONNECTED_RETRYING");
    assertThat(host.state()).isEqualTo(ModuleHost.State.RUNNING);
    assertThat(metric(FrameworkMetrics.CONNECTED, "module", "filter")).isZero();

    transport.status(ConnectionStatus.CONNECTED, "CONNECTION_OK");
    assertThat(host.isReady()).isTrue();
    assertThat(host.describe()).isEqualTo("RUNNING");
    assertThat(metric(FrameworkMetrics.CONNECTED, "module", "filter")).isEqualTo(1);

    transport.status(ConnectionStatus.DISCONNECTED, "RETRY_EXPIRED");
    assertThat(host.isLive()).isFalse();
    assertThat(changes).hasSize(3);
  }

  @Test
  void scheduledTasksKeepRunningAfterAFailureAndStopWithTheHost() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    ModuleHost host = host(new TestModule(ctx -> ctx.schedule(Duration.ofMillis(5), () -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("sensor busy");
      }
    })));
    host.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
    assertThat(metric(FrameworkMetrics.SCHEDULED_TASK_ERRORS, "module", "filter")).isEqualTo(1);
    host.stop();
    int afterStop = runs.get();

    await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == afterStop);
  }

  @Test
  void inputThatArrivesDuringStartWaitsForTheHandlers() throws Exception {
    CompletableFuture<MessageDisposition> early = new CompletableFuture<>();
    List<String> handled = new CopyOnWriteArrayList<>();
    ModuleHost host = host(new TestModule(ctx -> {
      // The hub delivers a backlog as soon as the transport opens, before the handlers are registered.
      Thread hubThread = new Thread(() -> early.complete(transport.deliver("in", EdgeMessage.text("backlog"))));
      hubThread.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> hubThread.getState() == Thread.State.TIMED_WAITING);
      ctx.onInput("in", msg -> {
        handled.add(msg.bodyAsString());
        return MessageDisposition.COMPLETE;
      });
    }));

    host.start();

    assertThat(early.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(handled).containsExactly("backlog");
  }

  @Test
  void inputDuringStartStopsWaitingWhenTheStartNeedsTheDeliveringThread() throws Exception {
    // A transport that answers the twin read on the thread that delivers input: the start cannot finish
    // until the early input is answered, so the host gives up waiting and abandons it.
    CompletableFuture<MessageDisposition> early = new CompletableFuture<>();
    List<String> handled = new CopyOnWriteArrayList<>();
    ModuleHost host = ModuleHost.builder()
        .module(new TestModule(ctx -> {
          new Thread(() -> early.complete(transport.deliver("in", EdgeMessage.text("backlog")))).start();
          early.get(5, TimeUnit.SECONDS);
          ctx.onInput("in", msg -> {
            handled.add(msg.bodyAsString());
            return MessageDisposition.COMPLETE;
          });
        }))
        .transport(transport)
        .metricsRegistry(registry)
        .startInputWait(Duration.ofMillis(100))
        .build();
    hosts.add(host);

    host.start();

    assertThat(early.get()).isEqualTo(MessageDisposition.ABANDON);
    assertThat(transport.deliver("in", EdgeMessage.text("later"))).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(handled).containsExactly("later");
  }

  @Test
  void exposesIdentityEnvironmentAndRegistryToTheModule() throws Exception {
    TestModule module = new TestModule(ctx -> ctx.updateReportedProperties(
        JsonNodeFactory.instance.objectNode().put("model", "resnet50")));
    ModuleHost host = ModuleHost.builder().module(module).transport(transport).metricsRegistry(registry)
        .environment(java.util.Map.of("IOTEDGE_MODULEID", "filter")).build();
    hosts.add(host);
    host.start();

    assertThat(host.identity().toString()).isEqualTo("device-1/filter");
    assertThat(module.context.identity()).isEqualTo(host.identity());
    assertThat(module.context.environment()).containsEntry("IOTEDGE_MODULEID", "filter");
    assertThat(module.context.metricsRegistry()).isSameAs(registry);
    assertThat(transport.reported().get("model").asText()).isEqualTo("resnet50");
  }

  @Test
  void builderRequiresModuleAndTransport() {
    assertThatThrownBy(() -> ModuleHost.builder().transport(transport).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("module(...)");
    assertThatThrownBy(() -> ModuleHost.builder().module(new TestModule(ctx -> {})).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("transport(...)");
    assertThatThrownBy(() -> ModuleHost.builder().drainTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReconnectionRereadsTheTwinAndBindsAgainOnlyWhenTheDocumentChanged() throws Exception {
    List<String> applied = new CopyOnWriteArrayList<>();
    host(new TestModule(ctx -> ctx.bindDesiredProperties(Config.class,
        (config, version) -> applied.add(version + ":" + config.threshold())))).start();
    transport.status(ConnectionStatus.CONNECTED, "CONNECTION_OK"); // no loss before it: nothing to read

    // While the module is offline the hub drops the patch to $version 4.
    transport.status(ConnectionStatus.DISCONNECTED_RETRYING, "NO_NETWORK");
    transport.setDesired("{'threshold': 6, 'window': 'PT10S', '$version': 4}");
    transport.status(ConnectionStatus.CONNECTED, "CONNECTION_OK");

    await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 2);
    assertThat(applied).containsExactly("3:5", "4:6");
    assertThat(transport.twinReads).hasValue(2);
    assertThat(metric(FrameworkMetrics.TWIN_FULL_READS, "module", "filter", "reason", "reconnect")).isEqualTo(1);
    assertThat(transport.reported().get("configurationStatus").toString())
        .isEqualTo("{\"version\":4,\"status\":\"applied\"}");

    // Nothing was missed this time: the twin is read, but the listener is not called for the same document.
    transport.status(ConnectionStatus.DISCONNECTED, "RETRY_EXPIRED");
    transport.status(ConnectionStatus.CONNECTED, "CONNECTION_OK");
    transport.patchDesired("{'threshold': 7, '$version': 5}"); // queued behind the re-read on the twin thread

    await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 3);
    assertThat(applied).containsExactly("3:5", "4:6", "5:7");
    assertThat(transport.twinReads).hasValue(3);
    assertThat(metric(FrameworkMetrics.TWIN_FULL_READS, "module", "filter", "reason", "reconnect")).isEqualTo(2);
  }

  @Test
  void aLowerVersionMeansTheTwinWasResetAndMakesTheHostReadTheWholeTwin() throws Exception {
    ListAppender<ILoggingEvent> log = captureLog(DesiredProperties.class, Level.INFO);
    List<String> applied = new CopyOnWriteArrayList<>();
    host(new TestModule(ctx -> ctx.bindDesiredProperties(Config.class,
        (config, version) -> applied.add(version + ":" + config)))).start();

    transport.patchDesired("{'threshold': 99, '$version': 3}"); // the same $version again: a duplicate
    // The module identity was recreated (iotedge#1493): its twin starts again at a lower $version.
    transport.setDesired("{'threshold': 1, '$version': 2}");
    transport.patchDesired("{'threshold': 1, '$version': 2}");

    await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 2);
    assertThat(applied).containsExactly("3:" + new Config(5, Duration.ofSeconds(10)), "2:" + new Config(1, null));
    assertThat(metric(FrameworkMetrics.TWIN_FULL_READS, "module", "filter", "reason", "lower_version"))
        .isEqualTo(1);
    assertThat(messages(log, Level.INFO)).anySatisfy(m -> assertThat(m)
        .contains("desired patch $version 2 is lower than 3").contains("reading the whole twin"));

    transport.patchDesired("{'window': 'PT5S', '$version': 3}"); // patches after the reset merge again

    await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 3);
    assertThat(applied.get(2)).isEqualTo("3:" + new Config(1, Duration.ofSeconds(5)));
    assertThat(transport.twinReads).hasValue(2);
    assertThat(metric(FrameworkMetrics.DESIRED_VERSION, "module", "filter")).isEqualTo(3);
  }

  @Test
  void aFailedRereadIsRetriedWithBackoffUntilItSucceeds() throws Exception {
    ListAppender<ILoggingEvent> log = captureLog(DesiredProperties.class, Level.WARN);
    List<Config> applied = new CopyOnWriteArrayList<>();
    ModuleHost host = ModuleHost.builder()
        .module(new TestModule(
            ctx -> ctx.bindDesiredProperties(Config.class, (config, version) -> applied.add(config))))
        .transport(transport)
        .metricsRegistry(registry)
        .twinRetryPolicy(BackoffPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(40)).withJitter(0))
        .build();
    hosts.add(host);
    host.start();
    assertThat(metric(FrameworkMetrics.TWIN_READ_FAILURES, "module", "filter")).isZero();
    transport.twinFailure = new TransportException("edgeHub is restarting", true, null);
    transport.setDesired("{'threshold': 9, 'window': 'PT2S', '$version': 7}");

    transport.patchDesired("{'window': 'PT2S', '$version': 7}");
    await().atMost(Duration.ofSeconds(5)).until(
        () -> metric(FrameworkMetrics.TWIN_READ_FAILURES, "module", "filter") >= 4);
    transport.twinFailure = null;

    await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 2);
    assertThat(applied.get(1)).isEqualTo(new Config(9, Duration.ofSeconds(2)));
    double failures = metric(FrameworkMetrics.TWIN_READ_FAILURES, "module", "filter");
    assertThat(transport.twinReads).hasValue(1 + (int) failures + 1);
    assertThat(metric(FrameworkMetrics.TWIN_FULL_READS, "module", "filter", "reason", "version_gap"))
        .isEqualTo(failures + 1);
    List<String> warnings = messages(log, Level.WARN);
    assertThat(warnings).hasSize((int) failures)
        .allSatisfy(m -> assertThat(m).contains("edgeHub is restarting").contains("keeping desired $version 3"));
    assertThat(warnings.stream().map(ModuleHostTest::retryDelay).toList()).startsWith("10", "20", "40", "40");
    int reads = transport.twinReads.get();
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
        .until(() -> transport.twinReads.get() == reads);
  }

  @Test
  void retriesOfAFailedRereadEndWhenTheHostStops() throws Exception {
    ModuleHost host = ModuleHost.builder()
        .module(new TestModule(ctx -> {}))
        .transport(transport)
        .metricsRegistry(registry)
        .twinRetryPolicy(BackoffPolicy.exponential(Duration.ofMillis(5), Duration.ofMillis(5)))
        .build();
    hosts.add(host);
    host.start();
    transport.twinFailure = new TransportException("twin GET timed out", true, null);
    transport.patchDesired("{'$version': 9}");
    await().atMost(Duration.ofSeconds(5)).until(
        () -> metric(FrameworkMetrics.TWIN_READ_FAILURES, "module", "filter") >= 2);

    host.stop();

    int reads = transport.twinReads.get();
    // At most a read that was under way when the twin thread was told to stop.
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
        .until(() -> transport.twinReads.get() <= reads + 1);
  }

  @Test
  void aHandlerThatCannotSendForNowHasItsMessageOfferedAgainUntilTheHubTakesIt() throws Exception {
    ListAppender<ILoggingEvent> log = captureLog(ModuleHost.class, Level.WARN);
    ModuleHost host = ModuleHost.builder()
        .module(new TestModule(ctx -> {
          ctx.onInput("direct", msg -> {
            ctx.send("out", msg);
            return MessageDisposition.COMPLETE;
          });
          ctx.onInput("wrapped", msg -> {
            try {
              ctx.send("out", msg);
            } catch (TransportException e) {
              throw new IllegalStateException("forwarding failed", e);
            }
            return MessageDisposition.COMPLETE;
          });
        }))
        .transport(transport)
        .metricsRegistry(registry)
        .redeliveryBackoff(BackoffPolicy.exponential(Duration.ofMillis(50), Duration.ofMillis(200)).withJitter(0))
        .build();
    hosts.add(host);
    host.start();

    transport.sendFailure = new TransportException("edgeHub is reconnecting", true, null);
    CompletableFuture<MessageDisposition> direct = transport.deliverAsync("direct", EdgeMessage.text("a"));
    CompletableFuture<MessageDisposition> wrapped = transport.deliverAsync("wrapped", EdgeMessage.text("b"));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() ->
        metric(FrameworkMetrics.INPUT_REDELIVERIES, "module", "filter", "input", "direct") >= 1
            && metric(FrameworkMetrics.INPUT_REDELIVERIES, "module", "filter", "input", "wrapped") >= 1);
    assertThat(direct).isNotDone();
    transport.sendFailure = null;
    assertThat(direct.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(wrapped.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.COMPLETE);
    transport.sendFailure = new TransportException("output not authorized", false, null);
    assertThat(transport.deliver("direct", EdgeMessage.text("c"))).isEqualTo(MessageDisposition.REJECT);

    assertThat(transport.sent).extracting(sent -> sent.message().bodyAsString()).containsExactlyInAnyOrder("a", "b");
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "direct",
        "disposition", "complete")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "wrapped",
        "disposition", "complete")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "direct",
        "disposition", "reject")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.INPUT_ERRORS, "module", "filter", "input", "direct")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.INPUT_ERRORS, "module", "filter", "input", "wrapped")).isZero();
    assertThat(metric(FrameworkMetrics.INPUT_DEAD_LETTERED, "module", "filter", "input", "direct")).isZero();
    assertThat(messages(log, Level.WARN)).filteredOn(m -> m.contains("offers it again"))
        .anySatisfy(m -> assertThat(m).contains("input 'direct'").contains("edgeHub is reconnecting"))
        .anySatisfy(m -> assertThat(m).contains("input 'wrapped'").contains("edgeHub is reconnecting"));
  }

  @Test
  void theDefaultDrainEndsBeforeDockerKillsTheContainer() {
    Duration dockerDefaultStopGrace = Duration.ofSeconds(10);

    assertThat(ModuleHost.DEFAULT_DRAIN_TIMEOUT).isEqualTo(Duration.ofSeconds(8));
    // The drain, then up to one second for the handlers it interrupts, then EdgeModule.stop() and closing.
    assertThat(ModuleHost.DEFAULT_DRAIN_TIMEOUT.plusSeconds(1)).isLessThan(dockerDefaultStopGrace);
  }

  @Test
  void aStopWhileTheModuleStartsAbortsTheStartAndStopsTheModule() throws Exception {
    CountDownLatch inStart = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestModule module = new TestModule(ctx -> {
      ctx.onInput("in", msg -> MessageDisposition.COMPLETE);
      inStart.countDown();
      release.await();
    });
    ModuleHost host = host(module);
    CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
      try {
        host.start();
      } catch (ModuleStartException e) {
        throw new CompletionException(e);
      }
    });
    assertThat(inStart.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> stop = CompletableFuture.runAsync(host::stop);
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.closes.get() == 1);
    assertThat(stop).isNotDone();
    release.countDown();

    stop.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(start::join).hasCauseInstanceOf(ModuleStartException.class)
        .hasMessageContaining("stop was requested while starting");
    assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
    assertThat(module.stops).hasValue(1);
    assertThat(transport.closes).hasValue(1);
    assertThat(transport.deliver("in", EdgeMessage.text("x"))).isEqualTo(MessageDisposition.ABANDON);
  }

  @Test
  void aStopThatRacesTheEndOfTheStartDrainsTheRunningHostBeforeClosingItsTransport() throws Exception {
    CountDownLatch moduleStarted = new CountDownLatch(1);
    TestModule module = new TestModule(ctx -> moduleStarted.countDown());
    AtomicInteger stopsWhenClosed = new AtomicInteger(-1);
    transport.onClose = () -> stopsWhenClosed.compareAndSet(-1, module.stops.get());
    ModuleHost host = host(module);
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread starter = new Thread(() -> {
      try {
        host.start();
        started.complete(null);
      } catch (Throwable t) {
        started.completeExceptionally(t);
      }
    });
    Thread stopper = new Thread(host::stop);
    // Holding the host's dispatch lock parks start() after EdgeModule.start() returned and after its last
    // check for a stop request, right before it moves to RUNNING (it takes this lock to accept input).
    synchronized (privateField(privateField(privateField(host, "lifecycle"), "dispatch"), "dispatchLock")) {
      starter.start();
      assertThat(moduleStarted.await(5, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> starter.getState() == Thread.State.BLOCKED);
      stopper.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> stopper.getState() == Thread.State.BLOCKED
          || stopper.getState() == Thread.State.WAITING);
    }

    started.get(5, TimeUnit.SECONDS);
    stopper.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(stopper.isAlive()).isFalse();
    assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
    assertThat(stopsWhenClosed).as("EdgeModule.stop() calls when the transport was closed").hasValue(1);
    assertThat(transport.closes).hasValue(1);
  }

  @Test
  void aSasTokenRenewalIsLoggedAsRoutineAndOtherLossesAsWarnings() throws Exception {
    ListAppender<ILoggingEvent> log = captureLog(ModuleHost.class, Level.INFO);
    host(new TestModule(ctx -> {})).start();

    transport.status(ConnectionStatus.DISCONNECTED_RETRYING, "EXPIRED_SAS_TOKEN");
    transport.status(ConnectionStatus.CONNECTED, "CONNECTION_OK");

    assertThat(messages(log, Level.WARN)).isEmpty();
    assertThat(messages(log, Level.INFO)).anySatisfy(m -> assertThat(m).contains("renewing its SAS token"));

    transport.status(ConnectionStatus.DISCONNECTED_RETRYING, "NO_NETWORK");

    assertThat(messages(log, Level.WARN)).singleElement()
        .satisfies(m -> assertThat(m).contains("lost its connection (NO_NETWORK)"));
  }

  @Test
  void aJsonBodyWithoutContentTypeIsSentButWarnedOncePerOutputAndCounted() throws Exception {
    ListAppender<ILoggingEvent> log = captureLog(ModuleHost.class, Level.WARN);
    TestModule module = new TestModule(ctx -> {});
    host(module).start();
    ModuleContext ctx = module.context;

    ctx.send("telemetry", bytes(" \n{\"temperature\": 21.5}"));
    ctx.send("telemetry", bytes("[1, 2]"));
    ctx.send("alerts", bytes("{\"level\": \"high\"}"));
    ctx.send("raw", bytes("{not json"));
    ctx.send("raw", bytes("42"));
    ctx.send("raw", bytes("hello"));
    ctx.send("raw", EdgeMessage.builder().body(new byte[] {(byte) 0xff, 0x00, '{'}).build());
    ctx.send("raw", EdgeMessage.builder().build());
    ctx.send("typed", EdgeMessage.json("{\"temperature\": 21.5}"));
    ctx.send("typed", EdgeMessage.builder().body("{}".getBytes(StandardCharsets.UTF_8))
        .contentType("application/json").build());

    assertThat(transport.sent).hasSize(10);
    assertThat(metric(FrameworkMetrics.MESSAGES_WITHOUT_CONTENT_TYPE, "module", "filter", "output", "telemetry"))
        .isEqualTo(2);
    assertThat(metric(FrameworkMetrics.MESSAGES_WITHOUT_CONTENT_TYPE, "module", "filter", "output", "alerts"))
        .isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_WITHOUT_CONTENT_TYPE, "module", "filter", "output", "raw")).isZero();
    assertThat(metric(FrameworkMetrics.MESSAGES_WITHOUT_CONTENT_TYPE, "module", "filter", "output", "typed"))
        .isZero();
    assertThat(messages(log, Level.WARN)).hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("output 'telemetry'")
            .contains("has a JSON body but no contentType")
            .contains("$body routes will evaluate to undefined on edgeHub")
            .contains("EdgeMessage.json(...)"))
        .anySatisfy(m -> assertThat(m).contains("output 'alerts'"));
  }

  private static EdgeMessage bytes(String body) {
    return EdgeMessage.builder().body(body.getBytes(StandardCharsets.UTF_8)).build();
  }

  private static String retryDelay(String warning) {
    Matcher m = Pattern.compile("retrying in (\\d+) ms").matcher(warning);
    return m.find() ? m.group(1) : "none";
  }

  private static Object privateField(Object target, String name) throws ReflectiveOperationException {
    Field field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      list.add(i);
    }
    return list;
  }
}
