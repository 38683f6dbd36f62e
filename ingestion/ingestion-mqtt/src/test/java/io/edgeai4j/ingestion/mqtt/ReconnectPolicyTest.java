package io.edgeai4j.ingestion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The MQTT source's reconnect backoff: the project's {@link BackoffPolicy} with the defaults it always had. */
class ReconnectPolicyTest {
  private final MqttSourceProvider provider = new MqttSourceProvider();

  @ParameterizedTest(name = "maxReconnectDelayMillis {0}: base delays {1}")
  @CsvSource(delimiter = ';', value = {
      "30000; 1000 2000 4000 8000 16000 30000 30000",
      "5000;  1000 2000 4000 5000 5000",
      "500;   500 500 500"})
  void startsAtOneSecondOrTheCapAndDoublesUpToTheCap(long maxMillis, String expected) throws Exception {
    BackoffPolicy policy = MqttSource.reconnectPolicy(settings(maxMillis));
    long[] wanted = Arrays.stream(expected.split(" ")).mapToLong(Long::parseLong).toArray();

    long[] bases = LongStream.rangeClosed(1, wanted.length).map(n -> policy.baseDelay(n).toMillis()).toArray();

    assertThat(bases).containsExactly(wanted);
  }

  @ParameterizedTest(name = "random {0}")
  @CsvSource({"0.0, 1000", "0.5, 750", "0.999999, 500"})
  void eachDelayHasJitterBetweenHalfAndAllOfItsBase(double random, long expectedMillis) throws Exception {
    Backoff backoff = new Backoff(MqttSource.reconnectPolicy(settings(30_000)), () -> random);

    assertThat(backoff.next().toMillis()).isEqualTo(expectedMillis);
  }

  private MqttSourceSettings settings(long maxReconnectDelayMillis) throws Exception {
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree("""
        {"brokerUri": "tcp://127.0.0.1:1883",
         "subscriptions": {"t": {"topic": "sensors/+/telemetry", "fields": {"temp": {"path": "/temp"}}}}}""");
    json.put("maxReconnectDelayMillis", maxReconnectDelayMillis);
    return provider.parse(json);
  }
}
