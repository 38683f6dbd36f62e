package io.edgeai4j.hardwaretests.tegrastats;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code tegrastats --interval <ms>} as a child process for the length of a run and summarises what it prints
 * (see {@link TegrastatsSummary}). Where there is no tegrastats binary, {@link #stop()} returns a summary that says
 * "no tegrastats on this machine" and where it looked: that is recorded in the report, not a failure.
 *
 * <p>{@link #stop()} (or {@link #close()}) ends the child process; the caller owns the sampler and must stop it.
 * Thread-safe: the child's output is read on one daemon thread, {@code stop()} may be called from any thread.
 */
public final class TegrastatsSampler implements AutoCloseable {

  /** How many lines that were not tegrastats lines the summary keeps verbatim. */
  public static final int KEPT_REJECTED_LINES = 5;

  private final Process process;
  private final Thread reader;
  private final String absentReason;
  private final Map<String, Range.Accumulator> rails = new LinkedHashMap<>();
  private final Map<String, Range.Accumulator> temperatures = new LinkedHashMap<>();
  private final Range.Accumulator ramUsed = new Range.Accumulator();
  private final Range.Accumulator gpuLoad = new Range.Accumulator();
  private final List<String> rejectedLines = new ArrayList<>();
  private long samples;
  private long rejected;
  private long ramTotal = -1;
  private TegrastatsSummary summary;

  private TegrastatsSampler(Process process, String absentReason) {
    this.process = process;
    this.absentReason = absentReason;
    this.reader = process == null ? null : new Thread(this::read, "tegrastats-reader");
    if (reader != null) {
      reader.setDaemon(true);
      reader.start();
    }
  }

  /**
   * Starts tegrastats found on {@code searchPath} (a {@code PATH}-style list, e.g. {@code System.getenv("PATH")}),
   * sampling every {@code interval}; where none is found the sampler records why and samples nothing.
   */
  public static TegrastatsSampler startIfPresent(String searchPath, Duration interval) {
    Optional<Path> binary = locate(searchPath);
    if (binary.isEmpty()) {
      return new TegrastatsSampler(null, "no tegrastats on this machine (looked for an executable 'tegrastats' in "
          + directories(searchPath) + ")");
    }
    return start(binary.get(), interval);
  }

  /** Starts {@code binary --interval <interval in ms>}. */
  public static TegrastatsSampler start(Path binary, Duration interval) {
    long ms = interval.toMillis();
    if (ms < 1) {
      throw new IllegalArgumentException("tegrastats interval " + interval + ": expected at least 1 ms");
    }
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--interval", Long.toString(ms))
        .redirectErrorStream(true);
    try {
      return new TegrastatsSampler(pb.start(), null);
    } catch (IOException e) {
      return new TegrastatsSampler(null, "tegrastats at " + binary + " could not be started: " + e.getMessage());
    }
  }

  /** The first executable named {@code tegrastats} in the directories of {@code searchPath}. */
  static Optional<Path> locate(String searchPath) {
    for (String dir : directories(searchPath)) {
      Path candidate = Path.of(dir, "tegrastats");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static List<String> directories(String searchPath) {
    List<String> dirs = new ArrayList<>();
    if (searchPath != null) {
      for (String d : searchPath.split(File.pathSeparator)) {
        if (!d.isBlank()) {
          dirs.add(d);
        }
      }
    }
    return dirs;
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        accept(line);
      }
    } catch (IOException e) {
      // The stream closes when stop() ends the process; anything read before is kept.
    }
  }

  private synchronized void accept(String line) {
    if (line.isBlank()) {
      return;
    }
    TegrastatsSample s;
    try {
      s = TegrastatsParser.parse(line);
    } catch (IllegalArgumentException e) {
      rejected++;
      if (rejectedLines.size() < KEPT_REJECTED_LINES) {
        rejectedLines.add(line);
      }
      return;
    }
    samples++;
    s.rails().forEach((name, r) -> rails.computeIfAbsent(name, n -> new Range.Accumulator()).add(r.currentMw()));
    s.temperaturesC().forEach((name, c) -> temperatures.computeIfAbsent(name, n -> new Range.Accumulator()).add(c));
    ramUsed.add(s.ramUsedMb());
    ramTotal = s.ramTotalMb();
    s.gpuLoadPercent().ifPresent(gpuLoad::add);
  }

  /** Ends tegrastats and returns the summary of what it printed; later calls return the same summary. */
  public TegrastatsSummary stop() {
    synchronized (this) {
      if (summary != null) {
        return summary;
      }
    }
    if (process == null) {
      return keep(TegrastatsSummary.unavailable(absentReason));
    }
    boolean exitedByItself = !process.isAlive();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (samples == 0) {
        String how = exitedByItself ? "exited with code " + process.exitValue() : "was stopped";
        return keep(new TegrastatsSummary("tegrastats " + how + " before printing a line it could parse ("
            + rejected + " other lines" + (rejectedLines.isEmpty() ? "" : ", first: " + rejectedLines.get(0)) + ")",
            0, Map.of(), Map.of(), null, null, null, rejected, rejectedLines));
      }
      Map<String, Range> railRanges = new LinkedHashMap<>();
      rails.forEach((k, v) -> railRanges.put(k, v.range()));
      Map<String, Range> temperatureRanges = new LinkedHashMap<>();
      temperatures.forEach((k, v) -> temperatureRanges.put(k, v.range()));
      return keep(new TegrastatsSummary(null, samples, railRanges, temperatureRanges, ramUsed.range(), ramTotal,
          gpuLoad.range().samples() == 0 ? null : gpuLoad.range(), rejected, rejectedLines));
    }
  }

  private synchronized TegrastatsSummary keep(TegrastatsSummary s) {
    if (summary == null) {
      summary = s;
    }
    return summary;
  }

  /** Whether tegrastats was started (false when there is none, or it could not start: see {@link #stop()}). */
  public boolean sampling() {
    return process != null;
  }

  /** Whether tegrastats was started and has since exited by itself (its output then ends). */
  public boolean exited() {
    return process != null && !process.isAlive();
  }

  /** The number of lines parsed so far. */
  public synchronized long samples() {
    return samples;
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
