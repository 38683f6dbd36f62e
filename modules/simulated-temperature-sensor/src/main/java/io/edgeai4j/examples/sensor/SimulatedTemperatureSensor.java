package io.edgeai4j.examples.sensor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Future;

/**
 * Sends {@code {"machine": {"temperature", "pressure"}, "ambient": {"temperature", "humidity"},
 * "timeCreated"}} on output {@value #OUTPUT} at the interval its twin sets. The machine heats up by
 * {@code machineTemperatureStep} per reading; the direct method {@code reset} cools it down again.
 * Thread-safe.
 */
public final class SimulatedTemperatureSensor implements EdgeModule {
  /** The output readings are sent on. */
  public static final String OUTPUT = "temperatureOutput";

  private ModuleContext context;
  private SensorConfig config = SensorConfig.DEFAULT;
  private Future<?> schedule;
  private Random random;
  private long sent;
  private double machineTemperature;

  @Override
  public void start(ModuleContext context) throws Exception {
    this.context = context;
    context.onMethod("reset", request -> {
      synchronized (this) {
        machineTemperature = config.machineTemperatureStart();
      }
      return MethodResponse.ok(JsonNodeFactory.instance.objectNode()
          .put("machineTemperature", config.machineTemperatureStart()));
    });
    context.bindDesiredProperties(SensorConfig.class, (cfg, version) -> apply(cfg));
  }

  private synchronized void apply(SensorConfig cfg) {
    boolean restart = schedule == null || cfg.sendIntervalMillis() != config.sendIntervalMillis()
        || cfg.seed() != config.seed() || cfg.machineTemperatureStart() != config.machineTemperatureStart();
    if (random == null || cfg.seed() != config.seed()) {
      random = new Random(cfg.seed());
    }
    if (schedule == null || cfg.machineTemperatureStart() != config.machineTemperatureStart()) {
      machineTemperature = cfg.machineTemperatureStart();
    }
    config = cfg;
    if (restart) {
      if (schedule != null) {
        schedule.cancel(false);
      }
      schedule = context.schedule(cfg.sendInterval(), this::sendReading);
    }
  }

  private void sendReading() throws Exception {
    EdgeMessage message;
    synchronized (this) {
      if (config.messageCount() > 0 && sent >= config.messageCount()) {
        return;
      }
      ObjectNode reading = JsonNodeFactory.instance.objectNode();
      reading.putObject("machine")
          .put("temperature", round(machineTemperature + random.nextGaussian() * 0.1))
          .put("pressure", round(1 + machineTemperature * 0.05 + random.nextGaussian() * 0.01));
      reading.putObject("ambient")
          .put("temperature", round(21 + random.nextGaussian() * 0.2))
          .put("humidity", round(25 + random.nextGaussian()));
      reading.put("timeCreated", Instant.now().toString());
      message = EdgeMessage.builder().jsonBody(reading.toString())
          .property("sequenceNumber", Long.toString(sent + 1)).build();
      machineTemperature += config.machineTemperatureStep();
      sent++;
    }
    context.send(OUTPUT, message);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
