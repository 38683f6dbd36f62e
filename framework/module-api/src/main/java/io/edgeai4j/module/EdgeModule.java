package io.edgeai4j.module;

/**
 * An IoT Edge module: what a user writes. The host calls {@link #start(ModuleContext)} once, after the
 * transport is connected and the twin has been read; the module registers its input, method and
 * twin handlers there and may start producing messages. On a graceful stop (SIGTERM) the host stops
 * delivering input, waits for in-flight handlers to finish, then calls {@link #stop()}, then closes the
 * transport.
 *
 * <pre>{@code
 * public final class Doubler implements EdgeModule {
 *   public void start(ModuleContext ctx) {
 *     ctx.onInput("numbers", msg -> {
 *       ctx.send("doubled", EdgeMessage.json(Map.of("value", 2 * msg.bodyAsJson().get("value").asDouble())));
 *       return MessageDisposition.COMPLETE;
 *     });
 *   }
 * }
 * }</pre>
 */
public interface EdgeModule {
  /**
   * Registers handlers and starts the module's own work.
   *
   * @param context The module's view of the hub; valid until {@link #stop()} returns.
   * @throws Exception If the module cannot start; the host then exits with a non-zero code.
   */
  void start(ModuleContext context) throws Exception;

  /**
   * Releases what {@link #start(ModuleContext)} acquired. Called once, after in-flight input has been
   * drained. Tasks scheduled with {@link ModuleContext#schedule} are already cancelled.
   *
   * @throws Exception If releasing fails; the host logs it and goes on closing.
   */
  default void stop() throws Exception {}
}
