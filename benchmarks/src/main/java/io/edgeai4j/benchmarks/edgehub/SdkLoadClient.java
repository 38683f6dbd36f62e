package io.edgeai4j.benchmarks.edgehub;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK's {@code ModuleClient} over MQTT, created from {@code EdgeHubConnectionString} and
 * {@code EdgeModuleCACertificateFile}. Sends with {@code sendEventAsync} and at most {@link LoadSettings#window()}
 * unacknowledged; the SDK itself then sends at most {@code messagesSentPerSendInterval} per 10 ms.
 */
final class SdkLoadClient implements LoadClient {
  private final ModuleClient client;

  private SdkLoadClient(ModuleClient client) {
    this.client = client;
  }

  static SdkLoadClient connect(Map<String, String> environment, LoadSettings settings, LoadTally tally)
      throws Exception {
    ClientOptions.ClientOptionsBuilder options = ClientOptions.builder()
        .sslContext(IotHubSSLContext.getSSLContextFromFile(environment.get("EdgeModuleCACertificateFile")));
    if (settings.mode() == LoadMode.SDK_FAST) {
      options.messagesSentPerSendInterval(settings.sdkMessagesPerInterval());
      options.receiveInterval(settings.sdkReceiveIntervalMillis());
    }
    ModuleClient client = new ModuleClient(environment.get("EdgeHubConnectionString"), IotHubClientProtocol.MQTT,
        options.build());
    if (tally != null) {
      client.setMessageCallback((message, context) -> {
        tally.record(message.getBytes());
        return IotHubMessageResult.COMPLETE;
      }, null);
    }
    try {
      client.open(true);
    } catch (Exception e) {
      client.close();
      throw e;
    }
    return new SdkLoadClient(client);
  }

  @Override
  public void sendAll(int sender, int messages, LoadSettings settings, AtomicLong failures) throws Exception {
    Semaphore window = new Semaphore(settings.window());
    CountDownLatch acknowledged = new CountDownLatch(messages);
    for (int i = 0; i < messages; i++) {
      window.acquire();
      Message message = new Message(LoadTally.body(sender, i, settings.payloadBytes()));
      client.sendEventAsync(message, (sent, error, context) -> {
        if (error != null) {
          failures.incrementAndGet();
        }
        window.release();
        acknowledged.countDown();
      }, null, "out");
    }
    acknowledged.await();
  }

  @Override
  public void close() {
    client.close();
  }
}
