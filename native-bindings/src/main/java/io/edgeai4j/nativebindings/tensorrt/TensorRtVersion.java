package io.edgeai4j.nativebindings.tensorrt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TensorRT version, {@code major.minor.patch.build}, as the library reports it
 * ({@code getInferLib{Major,Minor,Patch,Build}Version}). Engines and timing caches are only valid for the exact
 * version that built them.
 */
public record TensorRtVersion(int major, int minor, int patch, int build) implements Comparable<TensorRtVersion> {
  private static final Pattern TEXT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

  public TensorRtVersion {
    if (major < 0 || minor < 0 || patch < 0 || build < 0) {
      throw new IllegalArgumentException("negative version part: " + major + "." + minor + "." + patch + "." + build);
    }
  }

  /** Parses {@code 10.3}, {@code 10.3.0} or {@code 10.3.0.30}; missing parts are 0. */
  public static TensorRtVersion parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a TensorRT version: '" + text + "', expected e.g. 10.3.0.30");
    }
    return new TensorRtVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
  }

  /** The version of the preset this build compiled against, from its version string (e.g. {@code 10.6-1.5.11}). */
  public static TensorRtVersion ofPreset(String presetVersion) {
    return parse(presetVersion.substring(0, presetVersion.indexOf('-') < 0 ? presetVersion.length()
        : presetVersion.indexOf('-')));
  }

  @Override
  public int compareTo(TensorRtVersion o) {
    int c = Integer.compare(major, o.major);
    c = c != 0 ? c : Integer.compare(minor, o.minor);
    c = c != 0 ? c : Integer.compare(patch, o.patch);
    return c != 0 ? c : Integer.compare(build, o.build);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch + "." + build;
  }
}
