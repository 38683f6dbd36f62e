package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One transport for a whole test class, made from {@code EdgeHubConnectionString} and
 * {@code EdgeModuleCACertificateFile} as a module's would be, opened with a {@link RecordingListener} over TLS to a
 * {@link FakeEdgeHub} on 127.0.0.1:8883; the transport, then the hub, are closed after the class. Holds the tests whose
 * code is the same for both transports; a test that changes the listener's handlers restores them.
 *
 * @param <T> The transport's type.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConnectedTransportTestBase<T extends ModuleTransport> {
  private static final ObjectMapper JSON = new ObjectMapper();

  protected FakeEdgeHub hub;
  protected RecordingListener listener;
  protected T transport;
  /** The CA of the hub's server certificate, as a PEM file. */
  protected Path caFile;

  /** The module's connection string. */
  protected abstract String moduleConnectionString();

  /** Creates the transport from the environment, with the provider under test. */
  protected abstract T createTransport(Map<String, String> environment) throws TransportException;

  @BeforeAll
  void connect(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    hub = new FakeEdgeHub(pki).start();
    caFile = pki.writeCaPem(temp);
    listener = new RecordingListener();
    transport = createTransport(Map.of(
        EdgeEnvironment.EDGE_HUB_CONNECTION_STRING, moduleConnectionString(),
        EdgeEnvironment.CA_CERTIFICATE_FILE, caFile.toString()));
    transport.open(listener);
  }

  @AfterAll
  void disconnect() {
    if (transport != null) {
      transport.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void failingDirectMethodAnswers500() throws Exception {
    listener.methodHandler.set(request -> {
      throw new IllegalStateException("camera offline");
    });
    try {
      FakeEdgeHub.Publication response = hub.callMethod("capture", "null", 10_000);

      assertThat(response.topic()).startsWith("$iothub/methods/res/500/?$rid=");
      assertThat(JSON.readTree(response.payload()).get("error").asText()).contains("camera offline");
    } finally {
      listener.methodHandler.set(request -> MethodResponse.ok(request.payload()));
    }
  }

  @Test
  void openTwiceIsRefused() {
    assertThatThrownBy(() -> transport.open(new RecordingListener()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already opened");
  }
}
