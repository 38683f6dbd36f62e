package io.edgeai4j.inference.module.partition;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.EdgeHubWire;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits an activations payload into messages for output {@code activations}, each within edgeHub's limit: every
 * message, as edgeHub receives it ({@link EdgeHubWire}), body and properties together, is at most
 * {@link #MESSAGE_LIMIT} - {@link #HUB_RESERVE} bytes, leaving room for the system properties the hub adds
 * ({@code connectionDeviceId}, {@code connectionModuleId}, {@code outputName}, {@code enqueuedTime},
 * {@code messageId}). Each message carries the request's application properties, then {@link #MODEL} (the next part),
 * {@link #SET} (one id for the set of chunks), {@link #INDEX} and {@link #COUNT}, and the request's correlation id.
 * Stateless.
 */
public final class ActivationChunks {
  /** edgeHub's largest message: "Maximum allowed payload size is 262143". */
  public static final int MESSAGE_LIMIT = 262_143;
  /** Bytes left in each message for the system properties the hub sets. */
  public static final int HUB_RESERVE = 512;
  /** The most chunks one set may have (about 256 MB of payload); a larger payload is refused. */
  public static final int MAX_CHUNKS = 1024;
  /** The application property naming the model (part) that takes the activations. */
  public static final String MODEL = "model";
  /** The application property holding the id of the set of chunks. */
  public static final String SET = "activationSet";
  /** The application property holding the chunk's index, 0-based. */
  public static final String INDEX = "chunkIndex";
  /** The application property holding the number of chunks in the set. */
  public static final String COUNT = "chunkCount";
  /** The content type of a chunk. */
  public static final String CONTENT_TYPE = "application/octet-stream";
  /** The properties this class sets; removed again when the last part answers (a request's own {@code model}
   *  property was replaced by {@link #MODEL} when part 0 forwarded it, so none comes back). */
  public static final Set<String> OWN_PROPERTIES = Set.of(MODEL, SET, INDEX, COUNT);

  private ActivationChunks() {}

  /**
   * Splits {@code payload} into chunk messages.
   *
   * @param properties The request's application properties (they travel along; {@link #MODEL}, {@link #SET},
   *     {@link #INDEX} and {@link #COUNT} replace any of the same name).
   * @param correlationId The request's correlation id; may be null.
   * @throws IllegalArgumentException If the properties alone leave no room for data, or the payload needs more than
   *     {@link #MAX_CHUNKS} chunks; the message says how many bytes.
   */
  public static List<EdgeMessage> split(byte[] payload, String nextModel, String setId,
      Map<String, String> properties, String correlationId) {
    int overhead = wireSize(new byte[0], nextModel, setId, properties, correlationId, Integer.MAX_VALUE,
        Integer.MAX_VALUE);
    int room = MESSAGE_LIMIT - HUB_RESERVE - overhead;
    if (room < 1024) {
      throw new IllegalArgumentException("the request's properties take " + overhead + " bytes of the "
          + (MESSAGE_LIMIT - HUB_RESERVE) + " an activations message may hold; send fewer or shorter properties");
    }
    int count = Math.max(1, (payload.length + room - 1) / room);
    if (count > MAX_CHUNKS) {
      throw new IllegalArgumentException("the activations are " + payload.length + " bytes: " + count
          + " chunks of at most " + room + " bytes, over the limit of " + MAX_CHUNKS + " chunks");
    }
    List<EdgeMessage> chunks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] body = Arrays.copyOfRange(payload, i * room, Math.min(payload.length, (i + 1) * room));
      chunks.add(message(body, nextModel, setId, properties, correlationId, i, count));
    }
    return chunks;
  }

  /** The size of a chunk message as edgeHub receives it, before the hub adds its system properties. */
  public static int wireSize(EdgeMessage chunk) {
    return EdgeHubWire.asReceivedByEdgeHub(chunk).sizeInBytes();
  }

  private static int wireSize(byte[] body, String nextModel, String setId, Map<String, String> properties,
      String correlationId, int index, int count) {
    return wireSize(message(body, nextModel, setId, properties, correlationId, index, count));
  }

  private static EdgeMessage message(byte[] body, String nextModel, String setId, Map<String, String> properties,
      String correlationId, int index, int count) {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.put(MODEL, nextModel);
    all.put(SET, setId);
    all.put(INDEX, Integer.toString(index));
    all.put(COUNT, Integer.toString(count));
    return EdgeMessage.builder().body(body).contentType(CONTENT_TYPE).properties(all).correlationId(correlationId)
        .build();
  }
}
