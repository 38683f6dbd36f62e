package io.edgeai4j.module.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;

/**
 * What a transport calls when the hub sends something. Implemented by the module host. Methods may be
 * called from the transport's threads, concurrently.
 *
 * <p>{@link #onInputMessage} and {@link #onMethodInvoked} block while the module handles the call, and
 * module code calls {@link ModuleTransport#send}, {@link ModuleTransport#getTwin} and
 * {@link ModuleTransport#updateReportedProperties} from inside its handlers. A transport must therefore not
 * call them on a thread it needs to complete those operations (for example the thread that receives
 * acknowledgements and twin responses), or the two wait on each other. Input delivered while the module is
 * still starting blocks until it has started, for the same reason.
 */
public interface TransportListener {
  /**
   * Delivers an input message and blocks until it has been handled; the transport acknowledges it to the
   * hub according to the returned disposition, and only after this call returned (at-least-once).
   *
   * <p>The host offers a message its handler abandons to it again with backoff, and dead-letters it after the
   * last attempt, all within this call (which then returns {@link MessageDisposition#COMPLETE}); so the call can
   * block for minutes. It blocks only the calling thread: a transport that delivers inputs, methods and patches
   * on separate threads keeps serving them meanwhile. The host returns {@link MessageDisposition#ABANDON} only
   * when it does not take the message now (it is stopping or still starting, or the handler threw an
   * {@link Error}): the transport must then leave the message unacknowledged so that the hub keeps it.
   *
   * @param inputName The input the hub delivered the message to.
   * @param message The message.
   * @return What the module did with it.
   */
  MessageDisposition onInputMessage(String inputName, EdgeMessage message);

  /**
   * Delivers a desired-properties patch.
   *
   * @param patch The patch, with its {@code $version}.
   */
  void onDesiredPropertiesPatch(ObjectNode patch);

  /**
   * Delivers a direct-method call and blocks until it has been answered.
   *
   * @param request The call.
   * @return The answer.
   */
  MethodResponse onMethodInvoked(MethodRequest request);

  /**
   * Reports a change in the link to the hub.
   *
   * @param change The change.
   */
  void onConnectionStatusChanged(ConnectionStatusChange change);
}
