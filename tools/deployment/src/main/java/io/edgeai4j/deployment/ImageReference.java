package io.edgeai4j.deployment;

/** Splits container image references ({@code [registry[:port]/]path[:tag][@digest]}). */
final class ImageReference {
  private ImageReference() {}

  /** The reference without its tag and digest. */
  static String repositoryOf(String image) {
    String name = withoutDigest(image);
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  /**
   * The repository with its registry, as Docker resolves it: a reference whose first component names no registry
   * (no {@code .} or {@code :}, not {@code localhost}) is on Docker Hub, {@code docker.io/edgeai4j/x} for
   * {@code edgeai4j/x} and {@code docker.io/library/x} for {@code x}.
   */
  static String qualifiedRepositoryOf(String image) {
    String repository = repositoryOf(image);
    int slash = repository.indexOf('/');
    if (slash < 0) {
      return "docker.io/library/" + repository;
    }
    String first = repository.substring(0, slash);
    boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
    return registry ? repository : "docker.io/" + repository;
  }

  /** The tag, or {@code null} when the reference has none. */
  static String tagOf(String image) {
    String name = withoutDigest(image);
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(colon + 1) : null;
  }

  /** Whether the reference pins a digest ({@code @sha256:...}). */
  static boolean hasDigest(String image) {
    return image.indexOf('@') >= 0;
  }

  private static String withoutDigest(String image) {
    int at = image.indexOf('@');
    return at < 0 ? image : image.substring(0, at);
  }
}
