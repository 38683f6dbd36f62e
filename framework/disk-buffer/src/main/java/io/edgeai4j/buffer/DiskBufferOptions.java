package io.edgeai4j.buffer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The immutable options of a {@link DiskBuffer}, made with {@link #builder(Path)} and validated once in
 * {@link Builder#build()}. Thread-safe.
 */
public final class DiskBufferOptions {
  /** The default {@link #maxBytes()}: 256 MiB. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
  /** The default {@link #segmentBytes()}: 8 MiB. */
  public static final int DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;
  /** The smallest {@link #segmentBytes()} accepted: a segment header and a few small records. */
  public static final int MIN_SEGMENT_BYTES = 64;

  private final Path directory;
  private final long maxBytes;
  private final int segmentBytes;
  private final OverflowPolicy overflowPolicy;
  private final FsyncPolicy fsyncPolicy;

  private DiskBufferOptions(Builder builder) {
    this.directory = builder.directory;
    this.maxBytes = builder.maxBytes;
    this.segmentBytes = builder.segmentBytes;
    this.overflowPolicy = builder.overflowPolicy;
    this.fsyncPolicy = builder.fsyncPolicy;
  }

  /**
   * Starts options for a buffer in {@code directory}, with the defaults for everything else.
   *
   * @param directory The buffer's own directory; created on open if missing.
   */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** The directory that holds the buffer's files and nothing else. */
  public Path directory() {
    return directory;
  }

  /**
   * The most bytes the buffer may hold: every held record with its 8-byte frame, plus the 8-byte header of
   * each segment file that holds them. At least {@link #segmentBytes()}.
   */
  public long maxBytes() {
    return maxBytes;
  }

  /** The size at which the buffer starts a new segment file (a larger record gets a segment of its own). */
  public int segmentBytes() {
    return segmentBytes;
  }

  /** What an append does when the buffer is full. */
  public OverflowPolicy overflowPolicy() {
    return overflowPolicy;
  }

  /**
   * When appends and removes are forced to the storage device (fsync); default {@link FsyncPolicy#DEFAULT}, at most
   * one second unforced. Every append and remove reaches the operating system before it returns whatever this says,
   * so a crash of the process loses nothing.
   */
  public FsyncPolicy fsyncPolicy() {
    return fsyncPolicy;
  }

  /** The largest record {@link DiskBuffer#append(byte[])} accepts: {@code maxBytes} minus header and frame. */
  public int maxRecordBytes() {
    return (int) Math.min(Integer.MAX_VALUE - 16L, maxBytes - Segment.HEADER_BYTES - Segment.FRAME_BYTES);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiskBufferOptions other && directory.equals(other.directory) && maxBytes == other.maxBytes
        && segmentBytes == other.segmentBytes && overflowPolicy == other.overflowPolicy
        && fsyncPolicy.equals(other.fsyncPolicy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(directory, maxBytes, segmentBytes, overflowPolicy, fsyncPolicy);
  }

  @Override
  public String toString() {
    return "DiskBufferOptions[directory=" + directory + ", maxBytes=" + maxBytes + ", segmentBytes=" + segmentBytes
        + ", overflowPolicy=" + overflowPolicy + ", fsync=" + fsyncPolicy + "]";
  }

  /** Collects options; not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private int segmentBytes = DEFAULT_SEGMENT_BYTES;
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;
    private FsyncPolicy fsyncPolicy = FsyncPolicy.DEFAULT;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Sets {@link DiskBufferOptions#maxBytes()}; default 256 MiB. */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** Sets {@link DiskBufferOptions#segmentBytes()}; default 8 MiB. */
    public Builder segmentBytes(int segmentBytes) {
      this.segmentBytes = segmentBytes;
      return this;
    }

    /** Sets {@link DiskBufferOptions#overflowPolicy()}; default {@link OverflowPolicy#DROP_OLDEST}. */
    public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
      this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
      return this;
    }

    /** Sets {@link DiskBufferOptions#fsyncPolicy()}; default {@link FsyncPolicy#DEFAULT}. */
    public Builder fsyncPolicy(FsyncPolicy fsyncPolicy) {
      this.fsyncPolicy = Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException If {@code segmentBytes} is below {@link #MIN_SEGMENT_BYTES} or
     *     {@code maxBytes} is below {@code segmentBytes}; the message names the setting and both values.
     */
    public DiskBufferOptions build() {
      if (segmentBytes < MIN_SEGMENT_BYTES) {
        throw new IllegalArgumentException("segmentBytes must be at least " + MIN_SEGMENT_BYTES + ", found "
            + segmentBytes);
      }
      if (maxBytes < segmentBytes) {
        throw new IllegalArgumentException("maxBytes must be at least segmentBytes (" + segmentBytes + "), found "
            + maxBytes);
      }
      return new DiskBufferOptions(this);
    }
  }
}
