package io.edgeai4j.runtime.hub;

import io.edgeai4j.buffer.FsyncPolicy;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hub's messages on disk, under one directory: one {@link PriorityLog} per endpoint and priority, in a
 * sub-directory named as edgeHub names its stores, {@code <endpoint>_Pri<n>}, with the endpoint id URL-encoded
 * ({@code $upstream_Pri0} becomes {@code %24upstream_Pri0}, {@code filter/input1} becomes {@code filter%2Finput1});
 * a {@code store-format} file with the layout's version; a {@code store.lock} held while a hub has it open. A log
 * is created with the first message for its endpoint and priority, and deleted when a hub opens it empty.
 *
 * <p>Writes of one publish go through {@link #write} under the hub's write lock, so each log's records are in the
 * order the hub queued them in memory. Thread-safe; the {@link LocalEdgeHub} that opened it closes it.
 */
final class HubStore implements AutoCloseable {
  static final String FORMAT_FILE = "store-format";
  static final String FORMAT = "edgeai4j-hub-store 1";
  static final String LOCK_FILE = "store.lock";
  private static final Pattern LOG_NAME = Pattern.compile("(.+)_Pri(\\d{1,10})");

  /** A message read back at open, with its endpoint. */
  record Replayed(String endpointId, QueuedMessage message) {}

  private final Path directory;
  private final FsyncPolicy fsync;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, PriorityLog> logs = new ConcurrentHashMap<>();
  private List<Replayed> replayed;
  private final long nextSequence;
  private volatile boolean closed;

  private HubStore(Path directory, FsyncPolicy fsync, FileChannel lockChannel, FileLock lock,
      List<PriorityLog> opened, List<Replayed> replayed, long nextSequence) {
    this.directory = directory;
    this.fsync = fsync;
    this.lockChannel = lockChannel;
    this.lock = lock;
    opened.forEach(l -> logs.put(key(l.endpointId(), l.priority()), l));
    this.replayed = replayed;
    this.nextSequence = nextSequence;
  }

  /**
   * Opens the store in {@code directory}, creating it when missing, and reads back every message it holds.
   *
   * @throws IOException If the directory cannot be created or written, another hub has it open, it holds another
   *     layout, or a stored message cannot be read; the message names the directory. Nothing stays open then.
   */
  static HubStore open(Path directory, FsyncPolicy fsync) throws IOException {
    Files.createDirectories(directory);
    checkFormat(directory);
    FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    List<PriorityLog> opened = new ArrayList<>();
    try {
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IOException("the hub store " + directory + " is in use by another hub (" + LOCK_FILE + " is"
            + " locked); one hub per store directory");
      }
      List<Replayed> replayed = new ArrayList<>();
      long maxSequence = -1;
      for (Path sub : logDirectories(directory)) {
        Matcher name = LOG_NAME.matcher(sub.getFileName().toString());
        name.matches();
        String endpointId = URLDecoder.decode(name.group(1), StandardCharsets.UTF_8);
        int priority = Integer.parseInt(name.group(2));
        PriorityLog log = PriorityLog.open(sub, endpointId, priority, fsync);
        List<QueuedMessage> messages = log.replay();
        if (messages.isEmpty()) { // drained: removed, so that the store holds (and a hub runs) only logs in use
          log.close();
          deleteTree(sub);
          continue;
        }
        opened.add(log);
        for (QueuedMessage m : messages) {
          replayed.add(new Replayed(endpointId, m));
          maxSequence = Math.max(maxSequence, m.sequence());
        }
      }
      return new HubStore(directory, fsync, lockChannel, lock, opened, replayed, maxSequence + 1);
    } catch (IOException | RuntimeException e) {
      for (PriorityLog log : opened) {
        try {
          log.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      lockChannel.close();
      throw e;
    }
  }

  private static void checkFormat(Path directory) throws IOException {
    Path format = directory.resolve(FORMAT_FILE);
    if (Files.exists(format)) {
      String found = Files.readString(format, StandardCharsets.UTF_8).strip();
      if (!found.equals(FORMAT)) {
        throw new IOException("the hub store " + directory + " has the layout '" + found + "' in " + FORMAT_FILE
            + ", expected '" + FORMAT + "'");
      }
      return;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      if (entries.findAny().isPresent()) {
        throw new IOException("the hub store directory " + directory + " is not empty and has no " + FORMAT_FILE
            + " file: expected an empty directory or a hub store");
      }
    }
    Path temporary = directory.resolve(FORMAT_FILE + ".tmp");
    Files.writeString(temporary, FORMAT + "\n", StandardCharsets.UTF_8);
    Files.move(temporary, format, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private static List<Path> logDirectories(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(Files::isDirectory)
          .filter(p -> LOG_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
  }

  Path directory() {
    return directory;
  }

  /** The messages read back at open, each log's oldest first; once (the store keeps no reference to them). */
  synchronized List<Replayed> takeReplayed() {
    List<Replayed> taken = replayed;
    replayed = List.of();
    return taken;
  }

  /** The sequence number after the highest one read back at open (0 for an empty store). */
  long nextSequence() {
    return nextSequence;
  }

  /**
   * Writes the copies of one message, in order. The caller holds the hub's write lock.
   *
   * @param endpointIds The endpoint of each copy.
   * @throws IOException If a copy could not be written, naming the directory; the copies written before it are
   *     finished again (removed when they reach their log's head).
   */
  void write(List<String> endpointIds, List<QueuedMessage> copies) throws IOException {
    for (int i = 0; i < copies.size(); i++) {
      QueuedMessage copy = copies.get(i);
      try {
        logFor(endpointIds.get(i), copy.priority()).append(copy);
      } catch (IOException e) {
        for (int j = 0; j < i; j++) {
          try {
            finish(endpointIds.get(j), copies.get(j));
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw new IOException("cannot write to the hub store " + directory + ": " + e, e);
      }
    }
  }

  /**
   * Marks a message finished (delivered, rejected or expired): it leaves the disk once the messages before it in
   * its log have too. Does nothing once closed.
   *
   * @throws IOException If removing it failed, naming the directory; it stays on disk.
   */
  void finish(String endpointId, QueuedMessage message) throws IOException {
    PriorityLog log = logs.get(key(endpointId, message.priority()));
    if (log == null) {
      return;
    }
    try {
      log.finish(message.sequence());
    } catch (IOException | IllegalStateException e) {
      throw new IOException("cannot remove a finished message from the hub store " + log.directory() + ": " + e, e);
    }
  }

  /** The messages stored and not finished: what a restart would deliver. */
  long unfinished() {
    return logs.values().stream().mapToLong(PriorityLog::unfinished).sum();
  }

  /** The bytes of the stores' files that hold records. */
  long diskBytes() {
    return logs.values().stream().mapToLong(PriorityLog::diskBytes).sum();
  }

  private PriorityLog logFor(String endpointId, int priority) throws IOException {
    String key = key(endpointId, priority);
    PriorityLog log = logs.get(key);
    if (log == null) {
      if (closed) {
        throw new IOException("the hub store " + directory + " is closed");
      }
      log = PriorityLog.open(directory.resolve(key), endpointId, priority, fsync);
      logs.put(key, log);
    }
    return log;
  }

  /** The log's directory name: {@code <url-encoded endpoint>_Pri<n>}. */
  static String key(String endpointId, int priority) {
    return URLEncoder.encode(endpointId, StandardCharsets.UTF_8) + "_Pri" + priority;
  }

  /** Forces and closes every log and releases the directory. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = null;
    for (PriorityLog log : logs.values()) {
      try {
        log.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
