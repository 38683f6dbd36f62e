package io.edgeai4j.inference.module;

import java.util.Locale;

/** How a result's output tensors are written: as JSON numbers, or as base64 of little-endian bytes. */
public enum TensorEncoding {
  JSON,
  BASE64;

  /** The spelling in requests: {@code json} or {@code base64}. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the spelling.
   *
   * @throws BadRequestException Naming {@code outputEncoding} and what was found.
   */
  static TensorEncoding parse(String text) throws BadRequestException {
    for (TensorEncoding e : values()) {
      if (e.spelling().equals(text)) {
        return e;
      }
    }
    throw new BadRequestException("outputEncoding", "must be \"json\" or \"base64\", found \"" + text + "\"");
  }
}
