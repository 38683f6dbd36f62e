package io.edgeai4j.module.host;

import io.edgeai4j.module.host.ModuleHost.State;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lifecycle state of one host and whether its transport has been closed. Only {@link HostLifecycle}
 * changes them; every part of the host reads them. Owned by {@link ModuleHost}; holds no resources.
 *
 * <p>Thread-safe: each is one volatile or atomic value. The moves that must be atomic with other state
 * (to {@link State#RUNNING}, the abort of a start) are made under {@link HostLifecycle}'s locks.
 */
final class HostState {
  private volatile State state = State.CREATED;
  private final AtomicBoolean transportClosed = new AtomicBoolean();

  State get() {
    return state;
  }

  void set(State state) {
    this.state = state;
  }

  boolean transportClosed() {
    return transportClosed.get();
  }

  /** Marks the transport closed; returns true for the one caller that must close it. */
  boolean markTransportClosed() {
    return transportClosed.compareAndSet(false, true);
  }
}
