package io.edgeai4j.ingestion.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Runs the pure simulator for tests: settings from JSON, output collected in memory. */
final class Simulations {
  static final Instant ORIGIN = Instant.parse("2025-01-01T00:00:00Z");

  private Simulations() {}

  /** Settings parsed by the provider from a JSON object (single quotes allowed for readability). */
  static SimulatorSettings settings(String json) {
    try {
      return new SimulatorSourceProvider().parse(object(json));
    } catch (SourceConfigException e) {
      throw new AssertionError("settings rejected: " + e.getMessage(), e);
    }
  }

  static ObjectNode object(String json) {
    try {
      return (ObjectNode) SettingsBinder.mapper().readTree(json.replace('\'', '"'));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the simulator produces up to {@code seconds} of simulated time. */
  static Output run(SimulatorSettings settings, double seconds) {
    Output output = new Output(new ArrayList<>(), new ArrayList<>());
    new MachineSimulator(settings, ORIGIN).advanceTo(Duration.ofNanos(Math.round(seconds * 1e9)), output);
    return output;
  }

  /** The simulator's blocks and readings, in the order produced. */
  record Output(List<SampleBlock> blocks, List<Reading> readings) implements MachineSimulator.Sink {
    @Override
    public void accept(SampleBlock block) {
      blocks.add(block);
    }

    @Override
    public void accept(Reading reading) {
      readings.add(reading);
    }

    /** All vibration samples, concatenated. */
    double[] vibration() {
      int size = blocks.stream().mapToInt(SampleBlock::size).sum();
      double[] all = new double[size];
      int at = 0;
      for (SampleBlock block : blocks) {
        System.arraycopy(block.values(), 0, all, at, block.size());
        at += block.size();
      }
      return all;
    }

    /** The values of one sensor's readings. */
    double[] values(String sensor) {
      return readings.stream().filter(r -> r.sensor().equals(sensor)).mapToDouble(r -> (Double) r.value()).toArray();
    }

    List<Reading> readings(String sensor) {
      return readings.stream().filter(r -> r.sensor().equals(sensor)).toList();
    }
  }
}
