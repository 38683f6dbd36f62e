package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * createOptions as edgeAgent stores them: a Docker {@code ContainerCreate} JSON string cut into chunks of {@value
 * #CHUNK_SIZE} characters named {@code createOptions}, {@code createOptions01}, {@code createOptions02}, … ({@code
 * DockerConfig.cs}); edgeAgent reads at most {@value #MAX_CHUNKS} chunks, iotedgedev writes at most {@value
 * #IOTEDGEDEV_MAX_CHUNKS}.
 */
public final class CreateOptions {
  /** Characters per chunk ({@code TwinValueMaxSize}). */
  public static final int CHUNK_SIZE = 512;
  /** The most chunks edgeAgent reads ({@code TwinValueMaxChunks}). */
  public static final int MAX_CHUNKS = 100;
  /** The most chunks iotedgedev writes ("The maximum size of createOptions is 4K"). */
  public static final int IOTEDGEDEV_MAX_CHUNKS = 8;

  /** The chunk keys the schema allows; edgeAgent itself matches them ignoring case. */
  static final Pattern KEY = Pattern.compile("^(createoptions|createOptions)([0-9]*)$");

  private CreateOptions() {}

  /** The key of chunk {@code index}: {@code createOptions}, then {@code createOptions01}…{@code createOptions99}. */
  public static String key(int index) {
    return index == 0 ? "createOptions" : String.format("createOptions%02d", index);
  }

  /** Cuts a createOptions string into chunks of {@value #CHUNK_SIZE} characters; {@code ""} gives one chunk. */
  public static List<String> chunks(String createOptions) {
    List<String> chunks = new ArrayList<>();
    for (int start = 0; start < createOptions.length(); start += CHUNK_SIZE) {
      chunks.add(createOptions.substring(start, Math.min(createOptions.length(), start + CHUNK_SIZE)));
    }
    if (chunks.isEmpty()) {
      chunks.add("");
    }
    return chunks;
  }

  /** A chunk of a module's {@code settings}: its key and value. */
  record Chunk(String key, int number, JsonNode value) {}

  /** The createOptions chunks of a {@code settings} object, in edgeAgent's order (by number; no number first). */
  static List<Chunk> chunksOf(ObjectNode settings) {
    List<Chunk> chunks = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Matcher matcher = KEY.matcher(field.getKey());
      if (matcher.matches()) {
        String digits = matcher.group(2);
        int number = digits.isEmpty() ? 0 : digits.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        chunks.add(new Chunk(field.getKey(), number, field.getValue()));
      }
    }
    chunks.sort(Comparator.comparingInt(Chunk::number));
    return chunks;
  }
}
