package io.edgeai4j.buffer;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of an {@link FsyncPolicy.Mode#INTERVAL} buffer: runs its force action every interval until closed. A
 * failed force is logged and tried again at the next tick. Never interrupts the thread (an interrupt would close
 * the channel being forced). {@link #close()} stops it and waits for a force in progress; idempotent.
 */
final class PeriodicFsync implements AutoCloseable {
  /** Forces what is unforced; called on the thread, never concurrently with itself. */
  @FunctionalInterface
  interface ForceAction {
    void forceUnforced() throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(PeriodicFsync.class);

  private final Duration interval;
  private final ForceAction action;
  private final String name;
  private final Thread thread;
  private boolean stopped; // guarded by this

  PeriodicFsync(String name, Duration interval, ForceAction action) {
    this.name = name;
    this.interval = interval;
    this.action = action;
    this.thread = new Thread(this::run, "disk-buffer-fsync " + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long failures = 0;
    while (awaitTick()) {
      try {
        action.forceUnforced();
        failures = 0;
      } catch (IOException | RuntimeException e) {
        failures++;
        if (failures == 1 || failures % 60 == 0) {
          log.warn("Disk buffer {}: cannot force the written data to the device ({} time(s) in a row); trying again"
              + " in {} ms: {}", name, failures, interval.toMillis(), e.toString());
        }
      }
    }
  }

  /** Waits one interval; false once closed. */
  private synchronized boolean awaitTick() {
    long deadline = System.nanoTime() + interval.toNanos();
    long left;
    while (!stopped && (left = deadline - System.nanoTime()) > 0) {
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopped;
  }

  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
    if (Thread.currentThread() != thread) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
