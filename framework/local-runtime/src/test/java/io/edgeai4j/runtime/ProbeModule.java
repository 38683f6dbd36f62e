package io.edgeai4j.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test module that exposes its context, records what reaches its inputs, can hold its input handler
 * at a gate, answers method {@code echo}, and binds desired property {@code label}.
 */
final class ProbeModule implements EdgeModule {
  record Config(String label) {
    @JsonCreator
    Config(@JsonProperty("label") String label) {
      this.label = label == null ? "none" : label;
    }
  }

  record Received(String input, EdgeMessage message) {}

  volatile ModuleContext context;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final List<String> labels = new CopyOnWriteArrayList<>();
  volatile CountDownLatch gate = new CountDownLatch(0);
  final CountDownLatch firstArrived = new CountDownLatch(1);
  private final List<String> inputs;

  ProbeModule(List<String> inputs) {
    this.inputs = inputs;
  }

  @Override
  public void start(ModuleContext context) throws Exception {
    this.context = context;
    for (String input : inputs) {
      context.onInput(input, message -> {
        firstArrived.countDown();
        if (!gate.await(30, TimeUnit.SECONDS)) {
          return MessageDisposition.ABANDON;
        }
        received.add(new Received(input, message));
        return MessageDisposition.COMPLETE;
      });
    }
    context.onMethod("echo", request -> MethodResponse.ok(request.payload()));
    context.bindDesiredProperties(Config.class, (config, version) -> labels.add(config.label()));
  }

  List<String> bodies() {
    return received.stream().map(r -> r.message().bodyAsString()).toList();
  }

  /** A factory that hands out one known instance, so the test can reach it. */
  static EdgeModuleFactory factory(String id, EdgeModule instance) {
    return new EdgeModuleFactory() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String description() {
        return "test probe";
      }

      @Override
      public EdgeModule create() {
        return instance;
      }
    };
  }
}
