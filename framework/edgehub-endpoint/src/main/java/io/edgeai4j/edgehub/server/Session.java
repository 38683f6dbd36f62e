package io.edgeai4j.edgehub.server;

import io.edgeai4j.edgehub.wire.Topics;
import io.edgeai4j.module.ModuleIdentity;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the endpoint keeps for one client id across connections (CleanSession=false): its subscriptions and its
 * current connection. Thread-safe (its monitor guards both).
 */
final class Session {
  static final String TWIN_RESPONSES = Topics.TWIN_RESPONSE + "#";
  static final String DESIRED_PATCHES = Topics.DESIRED_PATCH + "#";
  static final String METHOD_CALLS = Topics.METHOD_REQUEST + "#";

  final ModuleIdentity identity;
  final String inputsFilter;
  /** What the C# and Node SDKs subscribe to for a module's inputs ({@code ReceiveEventMessagePatternFilter}). */
  final String moduleFilter;
  private final Set<String> subscriptions = new TreeSet<>();
  private ModuleConnection connection;

  Session(ModuleIdentity identity) {
    this.identity = identity;
    this.inputsFilter = Topics.inputPrefix(identity.deviceId(), identity.moduleId()) + "#";
    this.moduleFilter = "devices/" + identity.deviceId() + "/modules/" + identity.moduleId() + "/#";
  }

  /** Says whether a module of this identity may subscribe to a filter. */
  boolean allowed(String filter) {
    return filter.equals(inputsFilter) || filter.equals(moduleFilter) || filter.equals(TWIN_RESPONSES)
        || filter.equals(DESIRED_PATCHES) || filter.equals(METHOD_CALLS);
  }

  synchronized void subscribe(String filter) {
    subscriptions.add(filter);
    notifyAll();
  }

  synchronized void unsubscribe(String filter) {
    subscriptions.remove(filter);
  }

  synchronized boolean subscribed(String filter) {
    return subscriptions.contains(filter);
  }

  /**
   * Waits until the inputs are subscribed (either filter that covers them), up to the given time or until
   * {@code gone}; true when they are.
   */
  synchronized boolean awaitInputsSubscribed(long millis, java.util.function.BooleanSupplier gone)
      throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!subscriptions.contains(inputsFilter) && !subscriptions.contains(moduleFilter)) {
      if (gone.getAsBoolean()) {
        return false;
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Installs a new connection and returns the one it replaces, or null. */
  synchronized ModuleConnection replace(ModuleConnection next) {
    ModuleConnection previous = connection;
    connection = next;
    notifyAll();
    return previous;
  }

  /** Forgets the connection if it is still the current one. */
  synchronized void detach(ModuleConnection gone) {
    if (connection == gone) {
      connection = null;
    }
    notifyAll();
  }

  synchronized ModuleConnection connection() {
    return connection;
  }
}
