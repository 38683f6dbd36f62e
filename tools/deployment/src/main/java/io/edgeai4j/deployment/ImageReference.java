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
