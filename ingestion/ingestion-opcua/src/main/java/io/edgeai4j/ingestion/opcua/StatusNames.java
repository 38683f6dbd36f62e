package io.edgeai4j.ingestion.opcua;

import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** Readable names for OPC UA status codes and Milo's errors. */
final class StatusNames {
  private StatusNames() {}

  /** The symbolic name of a status code, e.g. {@code Bad_NodeIdUnknown}, or its hex value when unknown. */
  static String name(StatusCode status) {
    if (status == null) {
      return "Good";
    }
    long code = status.getValue() & 0xFFFF0000L;
    return StatusCodes.lookup(code).map(names -> names[0])
        .orElse(String.format("0x%08X", status.getValue()));
  }

  /** One line that says what went wrong, with the OPC UA status name when there is one. */
  static String describe(Throwable error) {
    Throwable cause = unwrap(error);
    UaException ua = UaException.extract(cause).orElse(null);
    if (ua != null) {
      String name = name(ua.getStatusCode());
      String message = rootMessage(ua);
      return message == null || message.contains(name) ? name : name + ": " + message;
    }
    String message = rootMessage(cause);
    String kind = cause instanceof ConnectException ? "connection refused"
        : cause instanceof UnresolvedAddressException ? "host not found" : cause.getClass().getSimpleName();
    return message == null ? kind : kind + ": " + message;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String rootMessage(Throwable error) {
    String message = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t instanceof UaException ua ? ua.getMessage() : t.getMessage();
      if (m != null && !m.isBlank()) {
        message = m;
      }
    }
    return message;
  }
}
