package io.edgeai4j.cli.model;

import io.edgeai4j.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** {@code --check-url}: downloads a package URL and compares its size and sha256 with the package's. Stateless. */
public final class UrlCheck {
  private UrlCheck() {}

  /**
   * Fetches {@code uri} (following redirects) and checks it holds the package.
   *
   * @param timeout For the connection and for the whole download.
   * @throws PublishException {@link ExitCodes#DATA_ERROR} when the size or hash differ or the answer is not 200;
   *     {@link ExitCodes#UNAVAILABLE} when it cannot be fetched.
   */
  public static void verify(URI uri, String expectedSha256, long expectedSize, Duration timeout)
      throws PublishException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    String where = "--check-url: " + withoutQuery(uri);
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long size = 0;
      try (InputStream body = new DigestInputStream(response.body(), sha256)) {
        if (response.statusCode() != 200) {
          throw new PublishException(ExitCodes.DATA_ERROR, where + ": expected status 200, found "
              + response.statusCode());
        }
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = body.read(buffer)) >= 0; ) {
          size += n;
        }
      }
      String found = HexFormat.of().formatHex(sha256.digest());
      if (size != expectedSize || !found.equals(expectedSha256)) {
        throw new PublishException(ExitCodes.DATA_ERROR, where + ": expected the package (" + expectedSize
            + " bytes, sha256 " + expectedSha256 + "), found " + size + " bytes, sha256 " + found);
      }
    } catch (IOException e) {
      throw new PublishException(ExitCodes.UNAVAILABLE, where + ": cannot fetch: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(ExitCodes.SOFTWARE, where + ": interrupted", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The URI without its query, which may hold a SAS signature that must not be printed in errors. */
  static String withoutQuery(URI uri) {
    String text = uri.toString();
    int q = text.indexOf('?');
    return q < 0 ? text : text.substring(0, q) + "?...";
  }
}
