package io.edgeai4j.cli.model;

import java.net.URI;
import java.time.Duration;

/** Where the package will be fetched from: a blob this command uploads, or a URL the user gives. Immutable. */
sealed interface Destination {
  /**
   * Upload to Azure Blob Storage, blob {@code <name>/<version>/package.zip}.
   *
   * @param connectionString Null only in a dry run without one.
   * @param source Where the string came from, for messages.
   */
  record Blob(String connectionString, String source, String container, boolean overwrite, Duration sasExpiry)
      implements Destination {
    /** The blob's name for a release. */
    static String blobName(String name, long version) {
      return name + "/" + version + "/package.zip";
    }
  }

  /** No upload: the package is at {@code uri}; {@code check}: download and compare first. */
  record GivenUrl(URI uri, boolean check) implements Destination {}
}
