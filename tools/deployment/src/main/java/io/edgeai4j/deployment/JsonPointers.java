package io.edgeai4j.deployment;

/** Builds RFC 6901 JSON pointers. */
final class JsonPointers {
  private JsonPointers() {}

  /** {@code parent + "/" + key}, the key escaped ({@code ~} as {@code ~0}, {@code /} as {@code ~1}). */
  static String child(String parent, String key) {
    return parent + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  /** {@code parent + "/" + index}. */
  static String child(String parent, int index) {
    return parent + "/" + index;
  }
}
