package io.edgeai4j.module.host;

import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.ConnectionStatusReason;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.host.ModuleHost.State;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the host's connection status: records what the transport reports (and its metric), logs each
 * change, has the twin read again after a reconnection, and notifies the host's and the module's connection
 * listeners. Owned by {@link ModuleHost}; holds no resources. {@link HostLifecycle} stops the module's
 * listeners being called once the module has stopped ({@link #closeContext()}).
 *
 * <p>Thread-safe: the status, whether one was reported and whether the link was lost change together under
 * one lock, because the transport reports from its own threads while the start may set the status it
 * assumes ({@link #assumeConnectedUnlessReported()}). The status is also volatile, for reads without the lock.
 * Listeners are called outside the lock.
 */
final class ConnectionMonitor {
  /** The {@link ConnectionStatusChange#reason()} of a routine reconnection to renew the SAS token. */
  static final ConnectionStatusReason SAS_TOKEN_RENEWAL = ConnectionStatusReason.EXPIRED_SAS_TOKEN;

  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class); // the host's lines, one name

  private final ModuleIdentity identity;
  private final String moduleId;
  private final FrameworkMetrics metrics;
  private final HostState state;
  private final TwinUpdates twin;
  private final List<Consumer<ConnectionStatusChange>> hostConnectionListeners;
  private final List<Consumer<ConnectionStatusChange>> connectionListeners = new CopyOnWriteArrayList<>();

  private final Object statusLock = new Object();
  private volatile ConnectionStatus connectionStatus = ConnectionStatus.DISCONNECTED;
  private boolean statusReported; // guarded by statusLock
  private boolean connectionLost; // guarded by statusLock: DISCONNECTED(_RETRYING) reported, CONNECTED not yet
  private volatile boolean contextClosed;

  /**
   * Creates the monitor.
   *
   * @param hostConnectionListeners Called for as long as the host lives; copied.
   */
  ConnectionMonitor(ModuleIdentity identity, FrameworkMetrics metrics, HostState state, TwinUpdates twin,
      List<Consumer<ConnectionStatusChange>> hostConnectionListeners) {
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.metrics = metrics;
    this.state = state;
    this.twin = twin;
    this.hostConnectionListeners = List.copyOf(hostConnectionListeners);
  }

  /** Returns the connection status last reported by the transport (or assumed at start). */
  ConnectionStatus status() {
    return connectionStatus;
  }

  /** Adds a listener of the module's, called until the module has stopped. */
  void addModuleListener(Consumer<ConnectionStatusChange> listener) {
    connectionListeners.add(listener);
  }

  /** Called once the transport has opened: a transport that has reported no status yet is taken as connected. */
  void assumeConnectedUnlessReported() {
    synchronized (statusLock) {
      if (!statusReported) {
        connectionStatus = ConnectionStatus.CONNECTED;
      }
      metrics.setConnected(moduleId, connectionStatus == ConnectionStatus.CONNECTED);
    }
  }

  /** Called once {@link EdgeModule#stop()} has returned: the module's listeners are done. */
  void closeContext() {
    contextClosed = true;
  }

  /** What the transport reports. */
  void onConnectionStatusChanged(ConnectionStatusChange change) {
    boolean reconnected;
    synchronized (statusLock) {
      statusReported = true;
      connectionStatus = change.status();
      metrics.setConnected(moduleId, change.status() == ConnectionStatus.CONNECTED);
      reconnected = change.status() == ConnectionStatus.CONNECTED && connectionLost;
      connectionLost = change.status() != ConnectionStatus.CONNECTED;
    }
    switch (change.status()) {
      case CONNECTED -> LOG.info("Module {} connected ({})", identity, change.reason());
      case DISCONNECTED_RETRYING -> {
        if (change.reason() == SAS_TOKEN_RENEWAL) {
          // The SDK reconnects with a new token before the old one expires, every hour or so: routine.
          LOG.info("Module {} is renewing its SAS token ({}); the transport reconnects and the module keeps"
              + " running", identity, change.reason());
        } else {
          LOG.warn("Module {} lost its connection ({}{}); the transport is retrying and the module keeps running",
              identity, change.reason(), causeText(change));
        }
      }
      case DISCONNECTED -> {
        if (state.get() == State.RUNNING) {
          LOG.error("Module {} is disconnected for good ({}{})", identity, change.reason(), causeText(change));
        } else {
          LOG.info("Module {} disconnected ({})", identity, change.reason());
        }
      }
    }
    if (reconnected) {
      twin.readAfterReconnect();
    }
    notify(hostConnectionListeners, change);
    if (!contextClosed) {
      notify(connectionListeners, change);
    }
  }

  private void notify(List<Consumer<ConnectionStatusChange>> listeners, ConnectionStatusChange change) {
    for (Consumer<ConnectionStatusChange> l : listeners) {
      try {
        l.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("Module {}: a connection status listener failed", identity, e);
      }
    }
  }

  private static String causeText(ConnectionStatusChange change) {
    return change.cause() == null ? "" : ": " + ModuleHost.describe(change.cause());
  }
}
