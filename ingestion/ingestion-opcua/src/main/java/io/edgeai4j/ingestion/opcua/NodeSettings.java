package io.edgeai4j.ingestion.opcua;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * One monitored node: the value of {@code nodes.<sensor>} in the settings. Immutable.
 *
 * @param nodeId The node to monitor.
 * @param samplingInterval How often the server samples the node; null until {@link OpcUaSettings}
 *     fills in its publishing interval.
 * @param unit The unit to put on the readings, or null.
 * @param queueSize How many samples the server keeps between two publishes, or null for the default
 *     ({@link #effectiveQueueSize(Duration)}).
 */
public record NodeSettings(NodeId nodeId, Duration samplingInterval, String unit, Integer queueSize) {
  /** The longest sampling interval accepted. */
  public static final Duration MAX_SAMPLING_INTERVAL = Duration.ofHours(1);
  /** The largest queue size accepted. */
  public static final int MAX_QUEUE_SIZE = 10_000;

  /** Validates. */
  public NodeSettings {
    if (nodeId == null) {
      throw new InvalidSettingException("nodeId", "missing; expected a node id such as \"ns=2;s=Machine/Temperature\"");
    }
    if (samplingInterval != null && (samplingInterval.isNegative() || samplingInterval.compareTo(MAX_SAMPLING_INTERVAL) > 0)) {
      throw new InvalidSettingException("samplingIntervalMillis", samplingInterval.toMillis()
          + " is out of range; expected 0 (as fast as the server can) to " + MAX_SAMPLING_INTERVAL.toMillis());
    }
    if (unit != null && unit.isBlank()) {
      throw new InvalidSettingException("unit", "blank; leave it out when the value has no unit");
    }
    if (queueSize != null && (queueSize < 1 || queueSize > MAX_QUEUE_SIZE)) {
      throw new InvalidSettingException("queueSize", queueSize + " is out of range; expected 1 to " + MAX_QUEUE_SIZE);
    }
  }

  @JsonCreator
  static NodeSettings fromJson(
      @JsonProperty("nodeId") @JsonDeserialize(using = NodeIdDeserializer.class) NodeId nodeId,
      @JsonProperty("samplingIntervalMillis") @JsonDeserialize(using = StrictDeserializers.WholeNumber.class) Long samplingIntervalMillis,
      @JsonProperty("unit") String unit,
      @JsonProperty("queueSize") @JsonDeserialize(using = StrictDeserializers.WholeNumber.class) Long queueSize) {
    if (queueSize != null && (queueSize < 1 || queueSize > MAX_QUEUE_SIZE)) {
      throw new InvalidSettingException("queueSize", queueSize + " is out of range; expected 1 to " + MAX_QUEUE_SIZE);
    }
    return new NodeSettings(nodeId, samplingIntervalMillis == null ? null : Duration.ofMillis(samplingIntervalMillis),
        unit, queueSize == null ? null : queueSize.intValue());
  }

  /** This node with {@code samplingInterval} set to {@code fallback} when it has none. */
  NodeSettings withDefaultSamplingInterval(Duration fallback) {
    return samplingInterval != null ? this : new NodeSettings(nodeId, fallback, unit, queueSize);
  }

  /**
   * The queue size asked of the server: the configured one, else enough samples to cover two
   * publishing intervals (2 x publishing / sampling, rounded up, at least 2, at most 1000; 10 for sampling
   * interval 0), so that no sample is discarded between two publishes even when a publish is up to one
   * interval late (the source keeps one publish request at a time, so the server may have none ready).
   */
  public int effectiveQueueSize(Duration publishingInterval) {
    if (queueSize != null) {
      return queueSize;
    }
    if (samplingInterval == null || samplingInterval.isZero()) {
      return 10;
    }
    long perTwoPublishes = -Math.floorDiv(-2 * publishingInterval.toNanos(), samplingInterval.toNanos());
    return (int) Math.max(2, Math.min(1000, perTwoPublishes));
  }
}
