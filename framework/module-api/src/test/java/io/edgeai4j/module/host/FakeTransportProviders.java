package io.edgeai4j.module.host;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Transport providers and module factories listed in the test {@code META-INF/services} files, for
 * {@link EdgeModuleMainTest}.
 */
public final class FakeTransportProviders {
  /** The transport the {@link Fake} provider created last. */
  static final AtomicReference<InMemoryTransport> LAST_CREATED = new AtomicReference<>();

  private FakeTransportProviders() {}

  /**
   * Available when {@code FAKE_HUB} is set; its twin's desired document is {@code FAKE_DESIRED}. When
   * {@code FAKE_DELIVER} is set, the transport delivers one message with that text on input {@code in} as soon
   * as it is open, and prints {@code FAKE DISPOSITION <disposition>} once the host has answered; it then
   * prints {@code FAKE CLOSED} when it is closed, after that answer.
   */
  public static final class Fake implements ModuleTransportProvider {
    @Override
    public String name() {
      return "fake";
    }

    @Override
    public String unavailableReason(Map<String, String> environment) {
      return environment.containsKey("FAKE_HUB") ? null : "FAKE_HUB is not set";
    }

    @Override
    public ModuleTransport create(Map<String, String> environment) {
      InMemoryTransport transport = new InMemoryTransport(environment.getOrDefault("FAKE_MODULE_ID", "echo"),
          environment.getOrDefault("FAKE_DESIRED", "{'$version': 1}"));
      if (environment.containsKey("FAKE_OPEN_FAILS")) {
        transport.openFailure = new TransportException("edgeHub is not there", true, null);
      }
      String deliver = environment.get("FAKE_DELIVER");
      if (deliver != null) {
        Thread delivery = new Thread(
            () -> printLine("FAKE DISPOSITION " + transport.deliver("in", EdgeMessage.text(deliver))),
            "fake-hub-delivery");
        delivery.setDaemon(true);
        transport.onOpen = delivery::start;
        transport.onClose = () -> {
          try {
            // As a real transport sends the acknowledgement of a handled message before it disconnects.
            delivery.join(TimeUnit.SECONDS.toMillis(10));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          printLine("FAKE CLOSED");
        };
      }
      LAST_CREATED.set(transport);
      return transport;
    }
  }

  /** Never available. */
  public static final class Broken implements ModuleTransportProvider {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public String unavailableReason(Map<String, String> environment) {
      return "needs /dev/unicorn";
    }

    @Override
    public ModuleTransport create(Map<String, String> environment) throws TransportException {
      throw new TransportException("needs /dev/unicorn", false, null);
    }
  }

  /** Available when {@code OTHER_HUB} is set. */
  public static final class Other implements ModuleTransportProvider {
    @Override
    public String name() {
      return "other";
    }

    @Override
    public String unavailableReason(Map<String, String> environment) {
      return environment.containsKey("OTHER_HUB") ? null : "OTHER_HUB is not set";
    }

    @Override
    public ModuleTransport create(Map<String, String> environment) throws TransportException {
      throw new TransportException("other hub refused", false, null);
    }
  }

  /**
   * Creates a module that echoes input {@code in} to output {@code out}; prints its lifecycle when ECHO_PRINT
   * is set. When ECHO_HOLD is set, its handler prints {@code ECHO HANDLING}, then holds the message until the
   * JVM begins to shut down (a shutdown hook of its own opens a latch), then echoes it and prints
   * {@code ECHO HANDLED}: the message is in flight when SIGTERM arrives, and completes only if the host
   * drains it with the transport still open.
   */
  public static final class EchoFactory implements EdgeModuleFactory {
    @Override
    public String id() {
      return "echo";
    }

    @Override
    public String description() {
      return "echoes input 'in' to output 'out'";
    }

    @Override
    public EdgeModule create() {
      return new EdgeModule() {
        private boolean print;

        @Override
        public void start(ModuleContext context) {
          print = context.environment().containsKey("ECHO_PRINT");
          boolean hold = context.environment().containsKey("ECHO_HOLD");
          CountDownLatch shuttingDown = new CountDownLatch(1);
          if (hold) {
            Runtime.getRuntime().addShutdownHook(new Thread(shuttingDown::countDown, "echo-sigterm"));
          }
          context.onInput("in", message -> {
            if (hold) {
              printLine("ECHO HANDLING");
              if (!shuttingDown.await(30, TimeUnit.SECONDS)) {
                return MessageDisposition.REJECT;
              }
            }
            context.send("out", EdgeMessage.text(message.bodyAsString()));
            if (hold) {
              printLine("ECHO HANDLED");
            }
            return MessageDisposition.COMPLETE;
          });
          if (print) {
            System.out.println("ECHO STARTED");
            System.out.flush();
          }
        }

        @Override
        public void stop() {
          if (print) {
            System.out.println("ECHO STOPPED");
            System.out.flush();
          }
        }
      };
    }
  }

  private static void printLine(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** A factory whose create() throws. */
  public static final class FailingFactory implements EdgeModuleFactory {
    @Override
    public String id() {
      return "failing";
    }

    @Override
    public String description() {
      return "cannot be created";
    }

    @Override
    public EdgeModule create() {
      throw new IllegalStateException("license file missing");
    }
  }
}
