package io.edgeai4j.routing;

/**
 * Where a route sends the messages it matches: IoT Hub ({@link UpstreamSink}) or an input of a
 * module on the same device ({@link ModuleInputSink}).
 *
 * <p>Sinks are validated the way edgeHub's {@code EndpointFactory} validates them: the system
 * endpoint must be {@code $upstream} (any case) and the function endpoint must be {@code
 * BrokeredEndpoint} (any case) with a quoted address of four {@code /}-separated parts.
 */
public sealed interface Sink permits UpstreamSink, ModuleInputSink {
  /**
   * Returns the identifier that edgeHub de-duplicates routes on.
   *
   * @return {@code "$upstream"}, or {@code "<moduleId>/<inputName>"} for a module input (edgeHub
   *     itself prefixes the edge device id, which is the same for every route of a device).
   */
  String endpointId();

  /**
   * Returns the sink in canonical route syntax.
   *
   * @return {@code $upstream} or {@code BrokeredEndpoint("/modules/<m>/inputs/<i>")}.
   */
  String toRouteText();
}
