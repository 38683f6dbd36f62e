package io.edgeai4j.module;

/** Handles calls of one direct method. Calls may run concurrently with input handlers. */
@FunctionalInterface
public interface MethodHandler {
  /**
   * Handles one call.
   *
   * @param request The call.
   * @return The response.
   * @throws Exception If the call failed; the caller gets status 500 with the exception's message.
   */
  MethodResponse invoke(MethodRequest request) throws Exception;
}
