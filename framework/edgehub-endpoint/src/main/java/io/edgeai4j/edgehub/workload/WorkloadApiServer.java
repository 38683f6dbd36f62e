package io.edgeai4j.edgehub.workload;

import io.edgeai4j.edgehub.identity.EdgeCertificates;
import io.edgeai4j.edgehub.identity.ModuleKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The IoT Edge workload API (api-version 2018-06-28) over HTTP on loopback: POST /modules/{m}/genid/{g}/sign (HMAC
 * with the module's key) and GET /trust-bundle (the CA); JDK HttpServer; closes idempotently.
 */
public final class WorkloadApiServer implements AutoCloseable {
  private WorkloadApiServer() {
  }

  /** Starts the server on the address (port 0 = any). */
  public static WorkloadApiServer start(InetSocketAddress address, ModuleKeys keys, EdgeCertificates certificates)
      throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** {@code http://127.0.0.1:<port>/}. */
  public URI uri() {
    throw new UnsupportedOperationException("not yet");
  }

  public int port() {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {
  }
}
