package io.edgeai4j.inference.module;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.spi.TransportException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test module that keeps what reaches each of its inputs, in order, and sends what a test gives it. */
final class RecordingModule implements EdgeModule {
  private final List<String> inputs;
  final Map<String, List<EdgeMessage>> received = new ConcurrentHashMap<>();
  private volatile ModuleContext context;

  RecordingModule(String... inputs) {
    this.inputs = List.of(inputs);
  }

  @Override
  public void start(ModuleContext moduleContext) {
    this.context = moduleContext;
    for (String input : inputs) {
      List<EdgeMessage> list = received.computeIfAbsent(input, i -> new CopyOnWriteArrayList<>());
      moduleContext.onInput(input, message -> {
        list.add(message);
        return MessageDisposition.COMPLETE;
      });
    }
  }

  List<EdgeMessage> on(String input) {
    return received.getOrDefault(input, List.of());
  }

  /** Sends a message on one of this module's outputs. */
  void send(String output, EdgeMessage message) throws TransportException {
    context.send(output, message);
  }

  EdgeModuleFactory factory(String id) {
    RecordingModule self = this;
    return new EdgeModuleFactory() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String description() {
        return "records its inputs and sends what the test gives it";
      }

      @Override
      public EdgeModule create() {
        return self;
      }
    };
  }
}
