package io.edgeai4j.runtime.testing;

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

/**
 * A test module for other modules' tests under the local runtime (published in this module's test-jar): it keeps
 * what reaches each of its inputs, in order, and sends what a test gives it. Thread-safe.
 */
public final class RecordingModule implements EdgeModule {
  private final List<String> inputs;
  private final Map<String, List<EdgeMessage>> received = new ConcurrentHashMap<>();
  private volatile ModuleContext context;

  /** A module that completes and keeps every message on the named inputs. */
  public RecordingModule(String... inputs) {
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

  /** What reached an input so far, in order (a live view). */
  public List<EdgeMessage> on(String input) {
    return received.getOrDefault(input, List.of());
  }

  /** Sends a message on one of this module's outputs. */
  public void send(String output, EdgeMessage message) throws TransportException {
    context.send(output, message);
  }

  /** A factory that hands out this instance under the image name {@code id}, so the test can reach it. */
  public EdgeModuleFactory factory(String id) {
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
