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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Transport providers and module factories listed in the test {@code META-INF/services} files, for
 * {@link EdgeModuleMainTest}.
 */
public final class FakeTransportProviders {
  /** The transport the {@link Fake} provider created last. */
  static final AtomicReference<InMemoryTransport> LAST_CREATED = new AtomicReference<>();

  private FakeTransportProviders() {}

  /** Available when {@code FAKE_HUB} is set; its twin's desired document is {@code FAKE_DESIRED}. */
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

  /** Creates a module that echoes input {@code in} to output {@code out}; prints its lifecycle when ECHO_PRINT is set. */
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
          context.onInput("in", message -> {
            context.send("out", EdgeMessage.text(message.bodyAsString()));
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
