package io.edgeai4j.module.host;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.InputHandler;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodHandler;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.host.ModuleHost.State;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches input messages and method calls to the module's handlers: it holds the registered handlers,
 * makes what arrives during the start wait for it (bounded), counts the calls in flight and lets a stop
 * drain them. Made by {@link ModuleHost} and shared with {@link HostContext} (registrations) and
 * {@link TransportEvents} (deliveries); {@link HostLifecycle} opens it, drains it and shuts its input threads
 * ({@link InputDispatcher}) down.
 *
 * <p>Thread-safe. Whether calls are accepted, how many are in flight and how many were abandoned while
 * stopping are guarded by one lock, {@code dispatchLock}, which is also the monitor the drain waits on. It
 * is taken inside {@link HostLifecycle}'s start-transition lock ({@link #startAccepting()}), and no other
 * lock is taken while holding it. A second lock makes each registration's duplicate check and put atomic.
 */
final class HandlerDispatch {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class); // the host's lines, one name

  private final ModuleIdentity identity;
  private final String moduleId;
  private final FrameworkMetrics metrics;
  private final HostState state;
  private final Duration startInputWait;
  private final Redelivery redelivery;
  private final Outputs outputs;
  private final CountDownLatch stopping = new CountDownLatch(1);

  private final Map<String, InputDispatcher> inputs = new ConcurrentHashMap<>();
  private final Map<String, MethodHandler> methods = new ConcurrentHashMap<>();
  private final Object registrationLock = new Object();
  private final Set<String> warnedUnknownInputs = ConcurrentHashMap.newKeySet();

  private final CountDownLatch startGate = new CountDownLatch(1);
  private volatile boolean startWaitExpired;

  private final Object dispatchLock = new Object();
  private boolean accepting; // guarded by dispatchLock
  private int inFlight; // guarded by dispatchLock: input messages and method calls being handled
  private int abandonedWhileStopping; // guarded by dispatchLock
  private volatile boolean drainExpired;

  /**
   * Creates the dispatch, not yet accepting.
   *
   * @param startInputWait How long input that arrives while the module is starting waits for the start.
   * @param redelivery How abandoned input is offered again, then dead-lettered.
   * @param outputs Where dead letters go.
   */
  HandlerDispatch(ModuleIdentity identity, FrameworkMetrics metrics, HostState state, Duration startInputWait,
      Redelivery redelivery, Outputs outputs) {
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.metrics = metrics;
    this.state = state;
    this.startInputWait = startInputWait;
    this.redelivery = redelivery;
    this.outputs = outputs;
  }

  /** Registers an input handler; only while the module is starting, once per name. */
  void registerInput(String inputName, InputHandler handler) {
    synchronized (registrationLock) {
      requireStarting("an input handler");
      if (inputs.containsKey(inputName)) {
        throw new IllegalStateException("Input '" + inputName + "' of module " + moduleId + " already has a handler");
      }
      inputs.put(inputName, new InputDispatcher(inputName, handler, identity, metrics, () -> drainExpired,
          stopping, redelivery, outputs));
    }
  }

  /** Registers a method handler; only while the module is starting, once per name. */
  void registerMethod(String methodName, MethodHandler handler) {
    synchronized (registrationLock) {
      requireStarting("a method handler");
      if (methods.containsKey(methodName)) {
        throw new IllegalStateException("Method '" + methodName + "' of module " + moduleId + " already has a handler");
      }
      methods.put(methodName, handler);
    }
  }

  /** Returns the registered input names, sorted. */
  Set<String> inputNames() {
    return new TreeSet<>(inputs.keySet());
  }

  /** Returns the registered method names, sorted. */
  Set<String> methodNames() {
    return new TreeSet<>(methods.keySet());
  }

  /**
   * Handles an input message on its input's thread and waits for the outcome, redelivery and dead-lettering
   * included; counts it.
   */
  MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
    MessageDisposition disposition = awaitStart("input '" + inputName + "'")
        ? deliver(inputName, message) : MessageDisposition.ABANDON;
    metrics.messageReceived(moduleId, inputName, disposition);
    return disposition;
  }

  private MessageDisposition deliver(String inputName, EdgeMessage message) {
    synchronized (dispatchLock) {
      if (!accepting) {
        if (state.get() == State.STOPPING || state.get() == State.STOPPED) {
          abandonedWhileStopping++;
        }
        LOG.debug("Module {} is {}; abandoning a message on input '{}'", identity, state.get(), inputName);
        return MessageDisposition.ABANDON;
      }
      inFlight++;
    }
    metrics.addInputsInFlight(moduleId, 1);
    try {
      InputDispatcher dispatcher = inputs.get(inputName);
      if (dispatcher == null) {
        String text = "Module {} got a message on input '{}', which has no handler; rejecting it. Registered"
            + " inputs: {}. Check the routes: BrokeredEndpoint(\"/modules/{}/inputs/{}\")";
        Object[] args = {identity, inputName, new TreeSet<>(inputs.keySet()), moduleId, inputName};
        if (warnedUnknownInputs.add(inputName)) {
          LOG.warn(text, args);
        } else {
          LOG.debug(text, args);
        }
        metrics.inputError(moduleId, inputName);
        return MessageDisposition.REJECT;
      }
      EdgeMessage withInput = inputName.equals(message.systemProperty(SystemProperties.INPUT_NAME).orElse(null))
          ? message : message.toBuilder().systemProperty(SystemProperties.INPUT_NAME, inputName).build();
      return dispatcher.dispatch(withInput);
    } finally {
      metrics.addInputsInFlight(moduleId, -1);
      exitDispatch();
    }
  }

  /** Invokes a method handler on the caller's thread and returns its answer; counts the call. */
  MethodResponse onMethodInvoked(MethodRequest request) {
    MethodResponse response = awaitStart("method '" + request.methodName() + "'") ? invoke(request)
        : MethodResponse.error(503, "Module " + moduleId + " is " + state.get() + "; try again later");
    String name = request.methodName();
    metrics.methodCall(moduleId, methods.containsKey(name) ? name : FrameworkMetrics.UNREGISTERED_METHOD,
        response.status());
    return response;
  }

  private MethodResponse invoke(MethodRequest request) {
    String name = request.methodName();
    MethodHandler handler = methods.get(name);
    synchronized (dispatchLock) {
      if (!accepting) {
        return MethodResponse.error(503, "Module " + moduleId + " is " + state.get() + "; try again later");
      }
      inFlight++;
    }
    try {
      if (handler == null) {
        return MethodResponse.error(404, "Module " + moduleId + " has no method '" + name
            + "'; registered methods: " + new TreeSet<>(methods.keySet()));
      }
      MethodResponse response = handler.invoke(request);
      if (response == null) {
        LOG.error("Module {}: method '{}' returned null; answering 500", identity, name);
        return MethodResponse.error(500, "Method '" + name + "' of module " + moduleId + " returned no response");
      }
      return response;
    } catch (Exception e) {
      LOG.error("Module {}: method '{}' failed", identity, name, e);
      return MethodResponse.error(500, "Method '" + name + "' of module " + moduleId + " failed: "
          + ModuleHost.describe(e));
    } finally {
      exitDispatch();
    }
  }

  /** Starts accepting input and method calls; called by the start, inside its start-transition lock. */
  void startAccepting() {
    synchronized (dispatchLock) {
      accepting = true;
    }
  }

  /** Lets what waits for the end of the start go on; called once the start has succeeded or failed. */
  void openStartGate() {
    startGate.countDown();
  }

  /**
   * Stops accepting: input is abandoned and methods answer 503 from now on, and messages waiting to be offered
   * again are abandoned to the transport at once. Returns how many are in flight.
   */
  int stopAccepting() {
    int draining;
    synchronized (dispatchLock) {
      accepting = false;
      draining = inFlight;
    }
    stopping.countDown();
    return draining;
  }

  /** Waits until nothing is in flight or the deadline passes; returns how many are still in flight. */
  int awaitDrain(long deadline) {
    synchronized (dispatchLock) {
      try {
        while (inFlight > 0) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(dispatchLock, remaining);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return inFlight;
    }
  }

  /** Marks the drain timeout passed: a handler cut off from now on gets its message abandoned. */
  void expireDrain() {
    drainExpired = true;
  }

  /** Interrupts the running input handlers and cancels the queued messages. */
  void cancelInputs() {
    for (InputDispatcher dispatcher : inputs.values()) {
      dispatcher.cancel();
    }
  }

  /** Ends the input threads once they are idle. */
  void shutdownInputs() {
    for (InputDispatcher dispatcher : inputs.values()) {
      dispatcher.shutdown();
    }
  }

  /** Ends the input threads at once. */
  void shutdownInputsNow() {
    for (InputDispatcher dispatcher : inputs.values()) {
      dispatcher.shutdownNow();
    }
  }

  /** Returns how many input messages arrived, and were abandoned, while the host was stopping or stopped. */
  int abandonedWhileStopping() {
    synchronized (dispatchLock) {
      return abandonedWhileStopping;
    }
  }

  private void exitDispatch() {
    synchronized (dispatchLock) {
      inFlight--;
      if (inFlight == 0) {
        dispatchLock.notifyAll();
      }
    }
  }

  /** Waits for the end of start; returns false when interrupted or when waiting has expired. */
  private boolean awaitStart(String what) {
    if (startGate.getCount() == 0) {
      return true;
    }
    if (startWaitExpired) {
      return false;
    }
    try {
      if (startGate.await(startInputWait.toNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (!startWaitExpired) {
      startWaitExpired = true;
      LOG.warn("Module {}: {} waited {} for the module to finish starting; abandoning input and answering"
          + " methods with 503 until it runs. If the transport delivers input on the thread that answers the twin"
          + " read, the start cannot finish while input waits (see TransportListener)", identity, what,
          startInputWait);
    }
    return false;
  }

  private void requireStarting(String what) {
    if (state.get() != State.STARTING) {
      throw new IllegalStateException("Register " + what + " in EdgeModule.start(); module " + moduleId + " is "
          + state.get());
    }
  }
}
