package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.StateStore;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's update state: the current copy, written to the state file at every change (so that a restart resumes
 * at the step it was in) and reported. Owned by {@link ModelWorker}; holds nothing to close (the store is the
 * module's).
 *
 * <p>Thread-safe for reading: the state is volatile, read from any thread by {@link ModelWorker#state()}. It is
 * changed on the worker's thread only, one event at a time, so a change is never lost.
 */
final class WorkerState {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final String model;
  private final StateStore store;
  private final ModelWorker.Events events;
  private volatile ModelState state;

  /** Starts from the persisted state, or the state of a model never seen. */
  WorkerState(ModelState initial, StateStore store, ModelWorker.Events events) {
    this.state = Objects.requireNonNull(initial, "initial");
    this.model = initial.model();
    this.store = store;
    this.events = events;
  }

  /** The current state (as last written). */
  ModelState get() {
    return state;
  }

  /**
   * Takes, writes and reports {@code next}.
   *
   * @param outcome Whether it ends an update (active, failed, rolledBack reached by the pipeline).
   */
  void set(ModelState next, boolean outcome) {
    set(next, outcome, true);
  }

  /** Takes and writes {@code next}, and reports it when {@code report}; a write that fails is logged. */
  void set(ModelState next, boolean outcome, boolean report) {
    state = next;
    try {
      store.write(next);
    } catch (UncheckedIOException e) {
      LOG.error("Model {}: {}", model, e.getMessage(), e);
    }
    if (report) {
      events.changed(next, outcome);
    }
  }
}
