package io.edgeai4j.modelupdate.download;

/** Receives a download's progress, on the downloading thread. */
public interface DownloadProgress {
  /** Ignores progress. */
  DownloadProgress NONE = (bytes, total) -> { };

  /**
   * Reports the bytes on disk so far: at most once a second while bytes flow, and once at the end.
   *
   * @param bytes The bytes of the package in the {@code .part} file.
   * @param total The package's size.
   */
  void update(long bytes, long total);

  /** Counts bytes just written (each read); does nothing by default. */
  default void received(long bytes) {}
}
