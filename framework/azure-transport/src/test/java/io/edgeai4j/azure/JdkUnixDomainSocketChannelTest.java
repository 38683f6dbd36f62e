package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.device.hsm.HttpsHsmClient;
import com.microsoft.azure.sdk.iot.device.hsm.parser.SignRequest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK unix-socket channel under the SDK's own workload API client ({@link HttpsHsmClient}), against a
 * workload API served on a unix socket in a temporary directory.
 */
class JdkUnixDomainSocketChannelTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] KEY = "module-primary-key-0123456789abc".getBytes(StandardCharsets.US_ASCII);
  static final String API_VERSION = "2018-06-28";

  @TempDir
  Path temp;

  @Test
  void sdkSignsThroughTheWorkloadApi() throws Exception {
    Path socket = temp.resolve("workload.sock");
    try (WorkloadApiServer workload = WorkloadApiServer.start(socket, KEY, "unused")) {
      HttpsHsmClient client = new HttpsHsmClient("unix://" + socket, new JdkUnixDomainSocketChannel(Duration.ofSeconds(5)));
      String data = "test-hub.azure-devices.net%2Fdevices%2Fd%2Fmodules%2Fm\n1700000000";

      // Twice through the same channel: the SDK opens and closes it for every request.
      String first = client.sign(API_VERSION, "m", signRequest(data), "gen 1").getDigest();
      String second = client.sign(API_VERSION, "m", signRequest(data), "gen 1").getDigest();

      String expected = WorkloadApiServer.hmac(KEY, data.getBytes(StandardCharsets.UTF_8));
      assertThat(first).isEqualTo(expected);
      assertThat(second).isEqualTo(expected);
      WorkloadApiServer.Request request = workload.requests.get(0);
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.target()).isEqualTo("/modules/m/genid/gen+1/sign?api-version=" + API_VERSION);
      assertThat(request.headers()).containsEntry("content-type", "application/json");
      JsonNode body = JSON.readTree(request.body());
      assertThat(body.get("keyId").asText()).isEqualTo("primary");
      assertThat(body.get("algo").asText()).isEqualTo("HMACSHA256");
    }
  }

  @Test
  void sdkReadsATrustBundleLongerThanItsReadBuffer() throws Exception {
    Path socket = temp.resolve("workload.sock");
    String pem = TestPki.create().caPem();
    assertThat(pem.length()).as("the SDK reads in 400-byte chunks").isGreaterThan(400);
    try (WorkloadApiServer workload = WorkloadApiServer.start(socket, KEY, pem)) {
      HttpsHsmClient client = new HttpsHsmClient("unix://" + socket, new JdkUnixDomainSocketChannel(Duration.ofSeconds(5)));

      String certificate = client.getTrustBundle(API_VERSION).getCertificates();

      assertThat(certificate).isEqualTo(pem);
      assertThat(workload.requests.get(0).target()).isEqualTo("/trust-bundle?api-version=" + API_VERSION);
    }
  }

  @Test
  void readTimesOutWhenTheWorkloadApiDoesNotAnswer() throws Exception {
    Path socket = temp.resolve("silent.sock");
    try (WorkloadApiServer workload = WorkloadApiServer.startSilent(socket)) {
      JdkUnixDomainSocketChannel channel = new JdkUnixDomainSocketChannel(Duration.ofMillis(300));
      channel.open(socket.toString());
      channel.write("GET /trust-bundle HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();

      assertThatThrownBy(() -> channel.read(new byte[400]))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining(socket.toString())
          .hasMessageContaining("PT0.3S");

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
      channel.close();
      channel.close();
    }
  }

  @Test
  void openNamesTheMissingSocket() {
    Path missing = temp.resolve("no-such.sock");
    JdkUnixDomainSocketChannel channel = new JdkUnixDomainSocketChannel(Duration.ofSeconds(1));

    assertThatThrownBy(() -> channel.open(missing.toString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> channel.read(new byte[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not open");
  }

  @Test
  void rejectsANonPositiveTimeout() {
    assertThatThrownBy(() -> new JdkUnixDomainSocketChannel(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }

  private static SignRequest signRequest(String data) throws Exception {
    SignRequest request = new SignRequest();
    request.setKeyId("primary");
    request.setAlgo(Mac.getInstance("HmacSHA256"));
    request.setData(data.getBytes(StandardCharsets.UTF_8));
    return request;
  }
}
