package io.edgeai4j.nativebindings.tensorrt;

import java.util.Map;
import java.util.Optional;

/**
 * Whether the loaded TensorRT may be used with the preset this build was compiled against.
 *
 * <ul>
 *   <li>A different major is refused: the JNI glue links {@code libnvinfer.so.<major>} and the API differs.
 *   <li>The same major and a minor equal to or newer than the preset's headers is accepted: TensorRT minors add API
 *       backward-compatibly.
 *   <li>An older minor is accepted only for a documented JetPack pairing, whose runtime this code restricts itself
 *       to: JetPack 6 ships TensorRT 10.3 with the 10.6 presets, and only the TensorRT 10.3 API is called. Any other
 *       older minor is refused (the JNI glue could call past the older library's vtables).
 * </ul>
 */
final class VersionRule {
  /** Preset {@code major.minor} → the oldest runtime {@code major.minor} accepted, and which JetPack pairs them. */
  static final Map<String, Pairing> OLDER_RUNTIME_PAIRINGS = Map.of("10.6", new Pairing(10, 3, "JetPack 6"));

  record Pairing(int major, int minor, String jetpack) { }

  private VersionRule() { }

  /** Empty when {@code loaded} is accepted for {@code preset}, else the reason it is refused. */
  static Optional<String> check(TensorRtVersion loaded, TensorRtVersion preset) {
    String found = "TensorRT " + loaded.major() + "." + loaded.minor() + " loaded";
    if (loaded.major() != preset.major()) {
      String how = preset.major() == 10 ? "-Pjetpack7 builds for 11" : "build without -Pjetpack7 for TensorRT 10";
      return Optional.of(found + " (" + loaded + "), this build was compiled for TensorRT " + preset.major()
          + " (" + how + ")");
    }
    if (loaded.minor() >= preset.minor()) {
      return Optional.empty();
    }
    Pairing p = OLDER_RUNTIME_PAIRINGS.get(preset.major() + "." + preset.minor());
    if (p != null && loaded.major() == p.major() && loaded.minor() >= p.minor()) {
      return Optional.empty();
    }
    String allowed = p == null ? "no older runtime is accepted for these headers"
        : "the oldest accepted is " + p.major() + "." + p.minor() + " (" + p.jetpack() + ")";
    return Optional.of(found + " (" + loaded + "), older than this build's TensorRT " + preset.major() + "."
        + preset.minor() + " headers; " + allowed + ": install TensorRT " + preset.major() + "." + preset.minor()
        + " or newer");
  }
}
