package io.edgeai4j.routing;

/** The {@code $upstream} sink: messages go to IoT Hub. */
public record UpstreamSink() implements Sink {
  /** The only value anyone needs. */
  public static final UpstreamSink INSTANCE = new UpstreamSink();

  /** The endpoint id and route text of the upstream sink. */
  static final String NAME = "$upstream";

  @Override
  public String endpointId() {
    return NAME;
  }

  @Override
  public String toRouteText() {
    return NAME;
  }
}
