package io.edgeai4j.cli.model;

import java.util.regex.Pattern;

/**
 * Hides the signature of SAS URLs in text about to be printed: the value of every {@code sig} query parameter
 * becomes {@value #REDACTED}. A SAS URL with its signature is a credential (anyone holding it may read the blob
 * until it expires), so {@code edge model publish} prints none, while the documents it sends keep the real URL.
 * Stateless, thread-safe.
 */
final class SasRedaction {
  /** What a printed {@code sig} value is replaced with. */
  static final String REDACTED = "REDACTED";

  /** {@code ?sig=} or {@code &sig=} (any case), then the value up to the next parameter, quote, space or fragment. */
  private static final Pattern SIGNATURE = Pattern.compile("([?&](?i:sig)=)[^&\"'\\s#<>]*");

  private SasRedaction() {}

  /** {@code text} with the value of each {@code sig} query parameter replaced by {@value #REDACTED}. */
  static String redact(String text) {
    return text == null ? null : SIGNATURE.matcher(text).replaceAll("$1" + REDACTED);
  }
}
