package io.edgeai4j.ingestion;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.ModuleContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test module that keeps what reaches each of its inputs, in order. */
final class RecordingModule implements EdgeModule {
  private final List<String> inputs;
  final Map<String, List<EdgeMessage>> received = new ConcurrentHashMap<>();

  RecordingModule(String... inputs) {
    this.inputs = List.of(inputs);
  }

  @Override
  public void start(ModuleContext context) {
    for (String input : inputs) {
      List<EdgeMessage> list = received.computeIfAbsent(input, i -> new CopyOnWriteArrayList<>());
      context.onInput(input, message -> {
        list.add(message);
        return MessageDisposition.COMPLETE;
      });
    }
  }

  List<EdgeMessage> on(String input) {
    return received.getOrDefault(input, List.of());
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
        return "records its inputs";
      }

      @Override
      public EdgeModule create() {
        return self;
      }
    };
  }
}
