package io.edgeai4j.module.host;

import static io.edgeai4j.module.metrics.MetricValues.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.InputHandler;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.retry.BackoffPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * The host's redelivery of abandoned input: growing delays, a limit, the dead letter, and what a waiting
 * message holds up (only its own input).
 */
class InputRedeliveryTest {
  /** Delays a test can wait through: 20 ms doubling to 80 ms, no jitter. */
  private static final BackoffPolicy FAST = BackoffPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(80))
      .withJitter(0);

  /** The desired properties the test binds. */
  record Threshold(Integer threshold) {}

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final InMemoryTransport transport = new InMemoryTransport("filter", "{'$version': 1}");
  private final List<ModuleHost> hosts = new ArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger hostLogger = (Logger) LoggerFactory.getLogger(ModuleHost.class);

  InputRedeliveryTest() {
    log.start();
    hostLogger.addAppender(log);
  }

  @AfterEach
  void stopHosts() {
    hosts.forEach(ModuleHost::stop);
    hostLogger.detachAppender(log);
  }

  private ModuleHost start(BackoffPolicy backoff, int maxAttempts, EdgeModule module) throws Exception {
    ModuleHost host = ModuleHost.builder()
        .module(module)
        .transport(transport)
        .metricsRegistry(registry)
        .drainTimeout(Duration.ofSeconds(5))
        .redeliveryBackoff(backoff)
        .maxDeliveryAttempts(maxAttempts)
        .build();
    hosts.add(host);
    host.start();
    return host;
  }

  private double metric(String name, String... labels) {
    return value(registry, name, labels);
  }

  private List<String> warnings() {
    synchronized (log) {
      return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Test
  void anAbandonedMessageIsOfferedAgainWithGrowingDelaysThenDeadLettered() throws Exception {
    List<Long> offers = new CopyOnWriteArrayList<>();
    start(FAST, 5, ctx -> ctx.onInput("in", msg -> {
      offers.add(System.nanoTime());
      return MessageDisposition.ABANDON;
    }));
    EdgeMessage message = EdgeMessage.builder().body("reading".getBytes()).messageId("m-17")
        .property("sensor", "s1").build();

    MessageDisposition disposition = transport.deliver("in", message);

    assertThat(disposition).as("dead-lettered, so the transport may acknowledge it")
        .isEqualTo(MessageDisposition.COMPLETE);
    assertThat(offers).hasSize(5);
    long[] gapsMillis = new long[4];
    for (int i = 0; i < 4; i++) {
      gapsMillis[i] = TimeUnit.NANOSECONDS.toMillis(offers.get(i + 1) - offers.get(i));
    }
    assertThat(gapsMillis[0]).isGreaterThanOrEqualTo(20);
    assertThat(gapsMillis[1]).isGreaterThanOrEqualTo(40);
    assertThat(gapsMillis[2]).isGreaterThanOrEqualTo(80);
    assertThat(gapsMillis[3]).as("capped at the policy's max").isGreaterThanOrEqualTo(80);
    assertThat(Arrays.stream(gapsMillis).sum()).isLessThan(2_000);
    assertThat(transport.sent).singleElement().satisfies(sent -> {
      assertThat(sent.output()).isEqualTo(ModuleHost.DEAD_LETTER_OUTPUT);
      EdgeMessage letter = sent.message();
      assertThat(letter.body()).isEqualTo(message.body());
      assertThat(letter.messageId()).contains("m-17");
      assertThat(letter.systemProperty(SystemProperties.OUTPUT_NAME)).contains("deadLetters");
      assertThat(letter.properties()).containsEntry("sensor", "s1")
          .containsEntry(ModuleHost.DELIVERY_ATTEMPTS, "5")
          .containsEntry(ModuleHost.DEAD_LETTER_INPUT, "in")
          .hasEntrySatisfying(ModuleHost.DEAD_LETTER_REASON,
              r -> assertThat(r).isEqualTo("abandoned 5 times; last: the handler returned ABANDON"));
    });
    assertThat(metric(FrameworkMetrics.INPUT_REDELIVERIES, "module", "filter", "input", "in")).isEqualTo(4);
    assertThat(metric(FrameworkMetrics.INPUT_DEAD_LETTERED, "module", "filter", "input", "in")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_SENT, "module", "filter", "output", "deadLetters")).isEqualTo(1);
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("message m-17 on input 'in' was dead-lettered")
        .contains("abandoned 5 times"));
  }

  /** Plays one outcome per offer: COMPLETE, ABANDON, REJECT, RETRYABLE (throws a retryable send failure), THROW. */
  private static InputHandler script(String outcomes, AtomicInteger offers) {
    String[] steps = outcomes.trim().split(" +");
    return msg -> {
      String step = steps[Math.min(offers.getAndIncrement(), steps.length - 1)];
      return switch (step) {
        case "RETRYABLE" -> throw new IllegalStateException("forwarding failed",
            new TransportException("edgeHub is reconnecting", true, null));
        case "THROW" -> throw new IllegalArgumentException("cannot parse");
        default -> MessageDisposition.valueOf(step);
      };
    };
  }

  @ParameterizedTest(name = "{0} -> {1} after {2} offer(s), dead letters {3}")
  @CsvSource(delimiter = '|', value = {
      // what the handler does on each offer | the transport gets | offers | dead letters
      "COMPLETE                               | COMPLETE           | 1      | 0",
      "ABANDON ABANDON COMPLETE               | COMPLETE           | 3      | 0",
      "RETRYABLE COMPLETE                     | COMPLETE           | 2      | 0",
      "ABANDON REJECT                         | REJECT             | 2      | 0",
      "THROW                                  | REJECT             | 1      | 0",
      "ABANDON RETRYABLE ABANDON              | COMPLETE           | 3      | 1",
      "REJECT                                 | REJECT             | 1      | 0",
  })
  void theTransportGetsTheOutcomeOfTheLastOffer(String outcomes, MessageDisposition expected, int offers,
      int deadLetters) throws Exception {
    AtomicInteger count = new AtomicInteger();
    start(FAST, 3, ctx -> ctx.onInput("in", script(outcomes, count)));

    assertThat(transport.deliver("in", EdgeMessage.text("x"))).isEqualTo(expected);

    assertThat(count).hasValue(offers);
    assertThat(metric(FrameworkMetrics.INPUT_REDELIVERIES, "module", "filter", "input", "in")).isEqualTo(offers - 1);
    assertThat(metric(FrameworkMetrics.INPUT_DEAD_LETTERED, "module", "filter", "input", "in"))
        .isEqualTo(deadLetters);
    assertThat(transport.sent).hasSize(deadLetters);
    assertThat(metric(FrameworkMetrics.MESSAGES_RECEIVED, "module", "filter", "input", "in",
        "disposition", expected.name().toLowerCase())).isEqualTo(1);
  }

  @Test
  void aMessageWaitingForItsNextOfferHoldsUpOnlyItsOwnInput() throws Exception {
    BackoffPolicy slow = BackoffPolicy.exponential(Duration.ofSeconds(30), Duration.ofSeconds(30)).withJitter(0);
    List<String> handled = new CopyOnWriteArrayList<>();
    List<Threshold> configurations = new CopyOnWriteArrayList<>();
    ModuleHost host = start(slow, 8, ctx -> {
      ctx.onInput("stuck", msg -> {
        handled.add("stuck " + msg.bodyAsString());
        return MessageDisposition.ABANDON;
      });
      ctx.onInput("other", msg -> {
        handled.add("other " + msg.bodyAsString());
        return MessageDisposition.COMPLETE;
      });
      ctx.onMethod("ping", request -> MethodResponse.ok(request.payload()));
      ctx.bindDesiredProperties(Threshold.class, (config, version) -> configurations.add(config));
    });
    CompletableFuture<MessageDisposition> first = transport.deliverAsync("stuck", EdgeMessage.text("1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("stuck 1"));
    CompletableFuture<MessageDisposition> second = transport.deliverAsync("stuck", EdgeMessage.text("2"));

    long before = System.nanoTime();
    MethodResponse pong = transport.invoke("ping", "{'n': 1}");
    MessageDisposition other = transport.deliver("other", EdgeMessage.text("a"));
    transport.patchDesired("{'threshold': 7, '$version': 2}");
    long servedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

    assertThat(pong.status()).isEqualTo(200);
    assertThat(other).isEqualTo(MessageDisposition.COMPLETE);
    await().atMost(Duration.ofSeconds(5)).until(() -> configurations.size() == 2);
    assertThat(configurations.get(1)).isEqualTo(new Threshold(7));
    assertThat(servedMillis).as("served while 'stuck' waits 30 s for its next offer").isLessThan(5_000);
    assertThat(first).isNotDone();
    assertThat(second).as("the order per input is kept: 2 waits behind 1").isNotDone();
    assertThat(handled).containsExactly("stuck 1", "other a");

    long stopping = System.nanoTime();
    host.stop();

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping))
        .as("the stop does not wait out the backoff nor the drain timeout").isLessThan(4_000);
    assertThat(first.get(1, TimeUnit.SECONDS)).as("given back, not acknowledged").isEqualTo(MessageDisposition.ABANDON);
    assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.ABANDON);
    assertThat(handled).as("2 is not handled before 1, so the hub keeps both in order")
        .containsExactly("stuck 1", "other a");
    assertThat(transport.sent).isEmpty();
    assertThat(metric(FrameworkMetrics.INPUT_DEAD_LETTERED, "module", "filter", "input", "stuck")).isZero();
  }

  @Test
  void aDeadLetterTheHubRefusesForNowIsSentOnceItTakesIt() throws Exception {
    start(FAST, 1, ctx -> ctx.onInput("in", msg -> MessageDisposition.ABANDON));
    transport.sendFailure = new TransportException("edgeHub is reconnecting", true, null);

    CompletableFuture<MessageDisposition> delivery = transport.deliverAsync("in", EdgeMessage.text("x"));
    await().atMost(Duration.ofSeconds(5)).until(() -> metric(FrameworkMetrics.MESSAGES_REFUSED, "module", "filter",
        "output", "deadLetters", "reason", "transport") >= 2);
    assertThat(delivery).isNotDone();
    transport.sendFailure = null;

    assertThat(delivery.get(5, TimeUnit.SECONDS)).isEqualTo(MessageDisposition.COMPLETE);
    assertThat(transport.sent).singleElement()
        .satisfies(s -> assertThat(s.output()).isEqualTo(ModuleHost.DEAD_LETTER_OUTPUT));
    assertThat(metric(FrameworkMetrics.INPUT_DEAD_LETTERED, "module", "filter", "input", "in")).isEqualTo(1);
  }

  @Test
  void aDeadLetterTheHubRefusesForGoodRejectsTheMessageWithAnError() throws Exception {
    start(FAST, 2, ctx -> ctx.onInput("in", msg -> MessageDisposition.ABANDON));
    transport.sendFailure = new TransportException("output not authorized", false, null);

    assertThat(transport.deliver("in", EdgeMessage.builder().body(new byte[1]).messageId("m-9").build()))
        .isEqualTo(MessageDisposition.REJECT);

    assertThat(metric(FrameworkMetrics.INPUT_ERRORS, "module", "filter", "input", "in")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.INPUT_DEAD_LETTERED, "module", "filter", "input", "in")).isZero();
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("message m-9 on input 'in'")
        .contains("could not be dead-lettered").contains("output not authorized"));
  }

  @Test
  void theLimitOfAttemptsIsValidated() {
    assertThatThrownBy(() -> ModuleHost.builder().maxDeliveryAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDeliveryAttempts must be at least 1, was 0");
    assertThat(ModuleHost.DEFAULT_MAX_DELIVERY_ATTEMPTS).isEqualTo(8);
    assertThat(ModuleHost.DEFAULT_REDELIVERY_BACKOFF.baseDelay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ModuleHost.DEFAULT_REDELIVERY_BACKOFF.baseDelay(10)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void sendAsyncChecksTheSizeAtOnceAndCountsTheMessageWhenTheHubHasIt() throws Exception {
    ModuleContext[] context = new ModuleContext[1];
    start(FAST, 3, ctx -> context[0] = ctx);
    transport.holdAsyncSends = true;

    CompletableFuture<Void> first = context[0].sendAsync("out", EdgeMessage.text("a"));
    CompletableFuture<Void> second = context[0].sendAsync("out", EdgeMessage.text("b"));

    assertThat(transport.sent).extracting(s -> s.message().bodyAsString()).containsExactly("a", "b");
    assertThat(transport.sent).allSatisfy(s ->
        assertThat(s.message().systemProperty(SystemProperties.OUTPUT_NAME)).contains("out"));
    assertThat(first).isNotDone();
    assertThat(metric(FrameworkMetrics.MESSAGES_SENT, "module", "filter", "output", "out")).isZero();
    assertThat(metric(FrameworkMetrics.SENDS_IN_FLIGHT, "module", "filter")).isEqualTo(2);
    transport.heldSends.get(0).complete(null);
    assertThat(metric(FrameworkMetrics.SENDS_IN_FLIGHT, "module", "filter")).isEqualTo(1);
    transport.heldSends.get(1).completeExceptionally(new TransportException("store full", true, null));
    assertThat(first).isCompleted();
    assertThat(second).isCompletedExceptionally();
    assertThat(metric(FrameworkMetrics.SENDS_IN_FLIGHT, "module", "filter")).isZero();
    assertThat(metric(FrameworkMetrics.MESSAGES_SENT, "module", "filter", "output", "out")).isEqualTo(1);
    assertThat(metric(FrameworkMetrics.MESSAGES_REFUSED, "module", "filter", "output", "out",
        "reason", "transport")).isEqualTo(1);

    EdgeMessage tooLarge = EdgeMessage.builder().body(new byte[EdgeMessage.MAX_SIZE_BYTES]).build();
    assertThatThrownBy(() -> context[0].sendAsync("out", tooLarge))
        .isInstanceOf(io.edgeai4j.module.MessageTooLargeException.class);
    assertThat(metric(FrameworkMetrics.MESSAGES_REFUSED, "module", "filter", "output", "out",
        "reason", "too_large")).isEqualTo(1);
    assertThat(transport.sent).hasSize(2);

    transport.holdAsyncSends = false;
    transport.sendFailure = new TransportException("edgeHub is reconnecting", true, null);
    assertThat(context[0].sendAsync("out", EdgeMessage.text("c"))).failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(TransportException.class);
  }
}
