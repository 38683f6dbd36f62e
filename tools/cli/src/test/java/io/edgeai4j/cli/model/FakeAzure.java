package io.edgeai4j.cli.model;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback server that records every request and answers each with {@code answer}: a fake storage account
 * (plain HTTP, as Azurite) or a fake IoT Hub (HTTPS). Close it to stop it.
 */
final class FakeAzure implements AutoCloseable {
  static final String ACCOUNT = "devstoreaccount1";
  /** Azurite's well-known account key. */
  static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  static final String HUB_KEY_NAME = "iothubowner";
  static final String HUB_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  final MockWebServer server = new MockWebServer();
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  volatile Function<RecordedRequest, MockResponse> answer;

  FakeAzure(Function<RecordedRequest, MockResponse> answer) {
    this.answer = answer;
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        return FakeAzure.this.answer.apply(request);
      }
    });
  }

  static FakeAzure http(Function<RecordedRequest, MockResponse> answer) throws IOException {
    FakeAzure fake = new FakeAzure(answer);
    fake.server.start(InetAddress.getLoopbackAddress(), 0);
    return fake;
  }

  static FakeAzure https(TestTls tls, Function<RecordedRequest, MockResponse> answer) throws IOException {
    FakeAzure fake = new FakeAzure(answer);
    fake.server.useHttps(tls.server.getSocketFactory());
    fake.server.start(InetAddress.getLoopbackAddress(), 0);
    return fake;
  }

  String storageConnectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
        + ";BlobEndpoint=http://127.0.0.1:" + server.getPort() + "/" + ACCOUNT;
  }

  String hubConnectionString() {
    return "HostName=127.0.0.1:" + server.getPort() + ";SharedAccessKeyName=" + HUB_KEY_NAME
        + ";SharedAccessKey=" + HUB_KEY;
  }

  /** An answer with a status, headers as name/value pairs, and a body. */
  static MockResponse respond(int code, String body, String... headers) {
    MockResponse.Builder builder = new MockResponse.Builder().code(code);
    for (int i = 0; i < headers.length; i += 2) {
      builder.addHeader(headers[i], headers[i + 1]);
    }
    return builder.body(body).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
