package io.edgeai4j.ingestion.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgeai4j.ingestion.source.Reading;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Temperature and motor current follow the load and rise with faults, as the README documents. */
class SlowSignalsTest {
  /** These tests look at the slow signals only; the least vibration keeps them fast. */
  private static final String CHEAP_VIBRATION = "'sampleRateHz': 1000, 'blockMillis': 10000, ";

  @ParameterizedTest(name = "load {0}: {1} degC, {2} A")
  @CsvSource({"0.0, 25, 4", "0.2, 31, 5.6", "0.5, 40, 8", "0.9, 52, 11.2", "1.0, 55, 12"})
  void temperatureAndCurrentRiseWithLoad(double load, double temperatureC, double currentA) {
    Simulations.Output output = Simulations.run(Simulations.settings("{" + CHEAP_VIBRATION + "'load': {'mean': " + load + "}}"), 99);

    assertThat(mean(output.values("temperature"))).isCloseTo(temperatureC, within(0.05));
    assertThat(mean(output.values("current"))).isCloseTo(currentA, within(0.05));
    assertThat(output.readings("temperature")).allSatisfy(r -> assertThat(r.unit()).isEqualTo("degC"));
    assertThat(output.readings("current")).allSatisfy(r -> assertThat(r.unit()).isEqualTo("A"));
  }

  @Test
  void currentFollowsAVaryingLoadAndTemperatureLagsBehindIt() {
    Simulations.Output output = Simulations.run(Simulations.settings(
        "{" + CHEAP_VIBRATION + "'load': {'mean': 0.5, 'amplitude': 0.4, 'periodSeconds': 120}, 'thermal': {'timeConstantSeconds': 30}}"), 239);
    List<Reading> readings = output.readings("current");
    double[] load = readings.stream().mapToDouble(r -> 0.5 + 0.4 * Math.sin(2 * Math.PI * seconds(r) / 120)).toArray();
    double[] temperature = output.values("temperature");

    assertThat(correlation(output.values("current"), load)).isGreaterThan(0.999);
    // The load peaks at 30 s; a first-order lag of 30 s peaks atan(2 pi 30 / 120) / (2 pi / 120) = 19 s later.
    int hottest = argMax(Arrays.copyOfRange(temperature, 0, 120));
    assertThat(hottest).isBetween(45, 53);
    assertThat(argMax(Arrays.copyOfRange(output.values("current"), 0, 120))).isBetween(28, 32);
  }

  @ParameterizedTest(name = "{0} of severity 1 heats by {1} degC and draws {2} more current")
  @CsvSource({"imbalance, 2, 0.02", "misalignment, 6, 0.08", "outerRace, 4, 0.01", "innerRace, 6, 0.02"})
  void faultsRaiseTemperatureWithALagAndCurrentAtOnce(String kind, double heatingC, double currentGain) {
    String machine = "'thermal': {'timeConstantSeconds': 20}, 'load': {'mean': 0.5}";
    Simulations.Output healthy = Simulations.run(Simulations.settings("{" + CHEAP_VIBRATION + machine + "}"), 200);
    Simulations.Output faulty = Simulations.run(Simulations.settings("{" + CHEAP_VIBRATION + machine + ", 'faults': {'f': {'kind': '" + kind
        + "', 'onsetSeconds': 50}}}"), 200);
    // Same seed, so the same noise: the difference is the fault's effect alone.
    double[] dT = difference(faulty.values("temperature"), healthy.values("temperature"));
    double[] dI = difference(faulty.values("current"), healthy.values("current"));

    assertThat(dT[49]).isZero();
    assertThat(dI[49]).isZero();
    assertThat(dI[50]).isCloseTo(8 * currentGain, within(1e-9));
    assertThat(dT[50]).isZero();
    assertThat(dT[70]).as("one time constant after the onset").isCloseTo(heatingC * (1 - Math.exp(-1)), within(1e-9));
    assertThat(dT[200]).as("ten time constants after").isCloseTo(heatingC, within(1e-3 * heatingC));
  }

  @Test
  void aGrowingFaultHeatsGradually() {
    Simulations.Output output = Simulations.run(Simulations.settings("{" + CHEAP_VIBRATION + "'thermal': {'timeConstantSeconds': 10, 'noiseC': 0}, "
        + "'current': {'noiseA': 0}, 'faults': {'f': {'kind': 'misalignment', 'onsetSeconds': 10, 'growthSeconds': 100, "
        + "'severity': 2}}}"), 150);
    double[] temperature = output.values("temperature");
    double[] current = output.values("current");

    // The temperature model holds each target until the next reading, so it starts rising one reading later.
    assertThat(temperature[11]).isEqualTo(temperature[10]);
    for (int t = 11; t <= 150; t++) {
      if (t >= 12) {
        assertThat(temperature[t]).as("temperature at %d s", t).isGreaterThan(temperature[t - 1]);
      }
      if (t <= 110) {
        assertThat(current[t]).as("current at %d s", t).isGreaterThan(current[t - 1]);
      }
    }
    assertThat(current[150]).isCloseTo(9.6 * 1.16, within(1e-9));
  }

  private static double seconds(Reading reading) {
    return (reading.timestamp().toEpochMilli() - Simulations.ORIGIN.toEpochMilli()) / 1e3;
  }

  private static double mean(double[] values) {
    return Arrays.stream(values).average().orElseThrow();
  }

  private static double[] difference(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static int argMax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double correlation(double[] a, double[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) * (a[i] - ma);
      vb += (b[i] - mb) * (b[i] - mb);
    }
    return cov / Math.sqrt(va * vb);
  }
}
