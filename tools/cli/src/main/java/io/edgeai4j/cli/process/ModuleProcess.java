package io.edgeai4j.cli.process;

import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One module run as its own operating-system process and kept running as edgeAgent keeps a module's container: when
 * the process exits, the exit code is reported and, if its {@link RestartPolicy} says so, the process is started
 * again after a delay from the project's backoff ({@link BackoffPolicy}), at most {@code maxRestarts} times in a
 * row ({@code maxRestarts}); the delays and the count start again from the first once a process has run for {@link #STABLE_RUN}. Every line the process writes (standard output and error) goes to
 * {@code log} prefixed with {@code [<module>] }.
 *
 * <p>The creator owns it: {@link #start()} once, {@link #close()} to stop the process (SIGTERM, then a kill after the
 * stop timeout) and its supervision. Thread-safe.
 */
public final class ModuleProcess implements AutoCloseable {
  /**
   * How long a process must run before its restart delays and count start again from the first (edgeAgent's
   * {@code IntensiveCareTimeInMinutes}).
   */
  public static final Duration STABLE_RUN = Duration.ofMinutes(10);
  /** Restarts in a row after which a module is failed and left stopped (edgeAgent's {@code MaxRestartCount}). */
  public static final int MAX_RESTARTS = 20;

  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final RestartPolicy policy;
  private final Backoff backoff;
  private final Duration stopTimeout;
  private final int maxRestarts;
  private final PrintWriter log;
  private final Thread supervisor;
  private Process process;
  private Thread pump;
  private int starts;
  private Integer lastExitCode;
  private boolean closed;

  /**
   * @param name The module name, for the log prefix and reports.
   * @param command The command line (e.g. {@code java -cp ... io.edgeai4j.module.host.EdgeModuleMain <id>}).
   * @param environment Variables set on top of this process's environment; a null value removes one.
   * @param policy When to start it again after it exits.
   * @param backoff The delays between restarts.
   * @param stopTimeout How long {@link #close()} waits after SIGTERM before it kills the process.
   * @param maxRestarts Restarts in a row after which the module is left stopped ({@link #MAX_RESTARTS} as edgeAgent).
   * @param log Where its lines and the reports go.
   */
  public ModuleProcess(String name, List<String> command, Map<String, String> environment, RestartPolicy policy,
      BackoffPolicy backoff, Duration stopTimeout, int maxRestarts, PrintWriter log) {
    this.name = Objects.requireNonNull(name, "name");
    this.command = List.copyOf(command);
    this.environment = new java.util.HashMap<>(environment);
    this.policy = Objects.requireNonNull(policy, "policy");
    this.backoff = backoff.start();
    this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must not be negative, found " + maxRestarts);
    }
    this.maxRestarts = maxRestarts;
    this.log = Objects.requireNonNull(log, "log");
    this.supervisor = new Thread(this::supervise, "edge-run-process-" + name);
    this.supervisor.setDaemon(true);
  }

  /**
   * Starts the process and its supervision.
   *
   * @throws IOException If the process cannot be started (e.g. the command is not there).
   * @throws IllegalStateException If called twice or after {@link #close()}.
   */
  public synchronized void start() throws IOException {
    if (starts > 0 || closed) {
      throw new IllegalStateException("module process '" + name + "' was already started");
    }
    process = launch();
    supervisor.start();
  }

  /** The module name. */
  public String name() {
    return name;
  }

  /** The process id of the current (or last) process. */
  public synchronized long pid() {
    return process.pid();
  }

  /** The current (or last) process. */
  synchronized ProcessHandle handle() {
    return process.toHandle();
  }

  /** How many times the process has been started, the first start included. */
  synchronized int starts() {
    return starts;
  }

  /** The exit code of the last process that exited, or null while none has. */
  synchronized Integer lastExitCode() {
    return lastExitCode;
  }

  /** The restart policy. */
  public RestartPolicy policy() {
    return policy;
  }

  private Process launch() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    environment.forEach((k, v) -> {
      if (v == null) {
        env.remove(k);
      } else {
        env.put(k, v);
      }
    });
    Process p = builder.start();
    starts++;
    p.getOutputStream().close();
    pump = new Thread(() -> pump(p), "edge-run-output-" + name);
    pump.setDaemon(true);
    pump.start();
    return p;
  }

  private void pump(Process p) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        say(line);
      }
    } catch (IOException e) {
      // the process ended and its pipe closed
    }
  }

  private void say(String line) {
    log.println("[" + name + "] " + line);
    log.flush();
  }

  private void supervise() {
    while (true) {
      Process p;
      Thread output;
      synchronized (this) {
        p = process;
        output = pump;
      }
      long startedAt = System.nanoTime();
      int code;
      try {
        code = p.waitFor();
        output.join(OUTPUT_DRAIN.toMillis()); // its last lines before the report of its exit
      } catch (InterruptedException e) {
        return;
      }
      Duration delay;
      synchronized (this) {
        lastExitCode = code;
        if (closed) {
          return;
        }
        if (!policy.restarts()) {
          say("exited with code " + code + "; not restarted (" + policy.whyNotRestarted() + ")");
          return;
        }
        if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(STABLE_RUN) >= 0) {
          backoff.reset();
        }
        if (backoff.failures() >= maxRestarts) {
          say("exited with code " + code + "; not restarted: it was restarted " + maxRestarts + " times in a row"
              + " without running " + STABLE_RUN.toMinutes() + " minutes (edgeAgent's MaxRestartCount; the module is"
              + " failed)");
          return;
        }
        delay = backoff.next();
        say("exited with code " + code + "; restarting in " + delay.toMillis() + " ms (restart "
            + backoff.failures() + ", restartPolicy " + policy.manifestName() + ")");
      }
      try {
        synchronized (this) {
          long end = System.nanoTime() + delay.toNanos();
          for (long left = delay.toNanos(); !closed && left > 0; left = end - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
          }
          if (closed) {
            return;
          }
          try {
            process = launch();
            say("started again, pid " + process.pid());
          } catch (IOException e) {
            say("cannot be restarted: " + e.getMessage());
            return;
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Stops the process: SIGTERM (a module drains its in-flight input), then, if it still runs after the stop timeout,
   * a kill. No restart follows. Idempotent; waits until the process is gone.
   */
  @Override
  public void close() {
    Process p;
    Thread output;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
      p = process;
      output = pump;
    }
    if (p == null) {
      return;
    }
    // Through the handle: Process.destroy() would also close the pipe and lose the module's last lines.
    p.toHandle().destroy();
    try {
      if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        say("did not stop within " + stopTimeout.toMillis() + " ms of SIGTERM; killing it");
        p.toHandle().destroyForcibly();
        p.waitFor();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      output.join(OUTPUT_DRAIN.toMillis());
      supervisor.join(stopTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
