package io.edgeai4j.ingestion.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Modbus source's reconnect backoff: the project's {@link BackoffPolicy} with the defaults it always had. */
class ReconnectPolicyTest {
  @ParameterizedTest(name = "poll every {0} ms: base delays {1}")
  @CsvSource(delimiter = ';', value = {
      "5000; 1000 2000 4000 8000 16000 30000 30000 30000",
      "1000; 1000 2000 4000 8000 16000 30000 30000 30000",
      "100;  100 200 400 800 1600 3200 6400 12800 25600 30000"})
  void startsAtThePollIntervalOrOneSecondAndDoublesUpToThirtySeconds(long pollMillis, String expected) {
    BackoffPolicy policy = ModbusSource.reconnectPolicy(Duration.ofMillis(pollMillis));

    long[] bases = LongStream.rangeClosed(1, expected.split(" ").length)
        .map(failures -> policy.baseDelay(failures).toMillis()).toArray();

    assertThat(bases).containsExactly(java.util.Arrays.stream(expected.split(" ")).mapToLong(Long::parseLong).toArray());
  }

  @ParameterizedTest(name = "random {0}")
  @CsvSource({"0.0, 1000", "0.5, 750", "0.999999, 500"})
  void eachDelayHasJitterBetweenHalfAndAllOfItsBase(double random, long expectedMillis) {
    Backoff backoff = new Backoff(ModbusSource.reconnectPolicy(Duration.ofSeconds(5)), () -> random);

    assertThat(backoff.next().toMillis()).isEqualTo(expectedMillis);
  }
}
