package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.StateStore;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Updates one model: drives it from its persisted state towards the desired release (download, verify, unpack and
 * check, stage under the state directory, and at activation time put it into the repository and activate it through
 * the inference module, keep the last versions), writing the state file and reporting at each step. A staged
 * version stays out of the repository until its activation, so the inference module cannot load it earlier (at a
 * restart, or when it applies its twin again). A restart resumes from the state file, at the step it was in; a desired
 * release equal to the one the state answers changes nothing.
 *
 * <p>A facade over its parts: {@link WorkerThread} runs the events, {@link UpdateDriver} decides what each does,
 * {@link ReleasePipeline} stages a release, {@link Activator} activates it, {@link VersionRetention} prunes,
 * {@link UpdateAbort} gives a version up, {@link WorkerState} holds, writes and reports the state.
 *
 * <p>Everything runs on the worker's own thread, one event at a time; the public methods only queue events and are
 * thread-safe. A newer desired release cancels a download in progress. Owns its thread; {@link #close()} interrupts
 * it (a download stops, its state stays {@code downloading} to resume) and waits for it. Idempotent.
 */
public final class ModelWorker implements AutoCloseable {
  /** What the worker tells the module. Called on the worker's thread. */
  public interface Events {
    /**
     * A new state to report.
     *
     * @param state The state.
     * @param outcome Whether it ends an update (active, failed, rolledBack reached by the pipeline).
     */
    void changed(ModelState state, boolean outcome);

    /**
     * Sends the activation request on output {@code activate}.
     *
     * @throws Exception If it was not sent; it is sent again after the activation timeout.
     */
    void activate(String requestId, String model, long version) throws Exception;
  }

  /** Bumped by every change of what is desired; a step of an older generation stops. */
  private final AtomicLong generation = new AtomicLong();
  private final WorkerState state;
  private final WorkerThread thread;
  private final UpdateDriver driver;
  private final Activator activator;

  /**
   * Creates a worker; it does nothing until told what is desired.
   *
   * @param initial The persisted state, or the state of a model never seen.
   */
  public ModelWorker(ModelState initial, VersionDirectories directories, StateStore store, Events events,
      UpdateMetrics metrics, Clock clock) {
    this.state = new WorkerState(initial, store, events);
    String model = initial.model();
    this.thread = new WorkerThread(model, state, clock);
    DesiredRelease desired = new DesiredRelease();
    UpdateAbort abort = new UpdateAbort(model, directories, state, clock);
    VersionRetention retention = new VersionRetention(model, directories, state, desired);
    this.activator = new Activator(model, directories, state, desired, events, thread, clock, abort, retention);
    ReleasePipeline pipeline = new ReleasePipeline(model, directories, state, desired, metrics, clock,
        generation::get, activator, abort);
    this.driver = new UpdateDriver(model, directories, state, desired, clock, generation::get, pipeline, activator,
        abort);
  }

  /** The current state (as last written). */
  public ModelState state() {
    return state.get();
  }

  /** Queues a desired release. */
  public void desire(ModelRelease release, UpdateSettings updateSettings) {
    long g = generation.incrementAndGet();
    thread.submit(() -> driver.onDesired(release, updateSettings, g));
  }

  /** Queues a desired release that did not validate: the model ends {@code failed} with the reason. */
  public void refuse(Long version, String reason) {
    generation.incrementAndGet();
    thread.submit(() -> driver.onRefused(version, reason));
  }

  /** Queues the model's removal from the desired properties: it is left as it is, reported unmanaged. */
  public void unmanage() {
    generation.incrementAndGet();
    thread.submit(driver::onUnmanaged);
  }

  /** Queues the inference module's answer to an activation request. */
  public void activated(ActivationReply reply) {
    thread.submit(() -> activator.onReply(reply));
  }

  @Override
  public void close() {
    thread.close();
  }
}
