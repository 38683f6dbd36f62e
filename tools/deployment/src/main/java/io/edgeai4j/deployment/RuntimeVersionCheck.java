package io.edgeai4j.deployment;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warns when a manifest pins an IoT Edge runtime image ({@code mcr.microsoft.com/azureiotedge-agent} or
 * {@code -hub}) of a release that is out of support. The current LTS, 1.6, and newer releases are accepted without a
 * word.
 *
 * <p>The dates, and where they come from:
 *
 * <ul>
 *   <li>1.6 LTS: released 2026-07-14 (Azure/iotedge CHANGELOG, 1.6.0), "serviced ... through November 14, 2028"
 *       (Azure/azure-iotedge release notes of 1.6.0);
 *   <li>1.5 LTS: "serviced ... through November 10, 2026" (Azure/azure-iotedge release notes of 1.5.0);
 *   <li>1.4 LTS: "end of life as of November 12, 2024" (learn.microsoft.com, azure/iot-edge/version-history);
 *   <li>1.1 LTS: "End of Life as of December 13, 2022" (Azure/iotedge-eflow README);
 *   <li>1.0, 1.2 and 1.3 were stable (not LTS) releases, supported only until the next release
 *       (learn.microsoft.com, azure/iot-edge/version-history: "Stable releases are only supported until the next
 *       release (stable or LTS) is generally available"); all of them were replaced by 1.4 LTS.
 * </ul>
 */
final class RuntimeVersionCheck {
  /** The current LTS release, and the last day it is supported. */
  static final String CURRENT = "1.6";
  static final String CURRENT_END_OF_SUPPORT = "2028-11-14";

  private static final Map<String, String> LTS_END_OF_SUPPORT = Map.of(
      "1.5", "2026-11-10",
      "1.4", "2024-11-12",
      "1.1", "2022-12-13");
  private static final Set<String> STABLE_RELEASES = Set.of("1.0", "1.2", "1.3");
  private static final Set<String> RUNTIME_REPOSITORIES = Set.of(
      "mcr.microsoft.com/azureiotedge-agent", "mcr.microsoft.com/azureiotedge-hub");
  private static final Pattern RELEASE = Pattern.compile("^(\\d+\\.\\d+)(?:$|[.-])");

  private RuntimeVersionCheck() {}

  /**
   * The warning for an image, if it is an IoT Edge runtime image of a release out of support.
   *
   * @param image An image reference with a tag (the caller has reported a missing one).
   */
  static Optional<String> warning(String image) {
    if (!RUNTIME_REPOSITORIES.contains(ImageReference.repositoryOf(image))) {
      return Optional.empty();
    }
    String tag = ImageReference.tagOf(image);
    Matcher release = RELEASE.matcher(tag == null ? "" : tag);
    if (!release.find()) {
      return Optional.empty();
    }
    String version = release.group(1);
    String instead = "; use " + CURRENT + " (" + CURRENT + " LTS, supported until " + CURRENT_END_OF_SUPPORT + ")";
    String lts = LTS_END_OF_SUPPORT.get(version);
    if (lts != null) {
      return Optional.of("image '" + image + "' is IoT Edge " + version + " LTS, which reached end of support on "
          + lts + instead);
    }
    if (STABLE_RELEASES.contains(version)) {
      return Optional.of("image '" + image + "' is IoT Edge " + version + ", a stable (not LTS) release, which was"
          + " supported only until the next release" + instead);
    }
    return Optional.empty();
  }
}
