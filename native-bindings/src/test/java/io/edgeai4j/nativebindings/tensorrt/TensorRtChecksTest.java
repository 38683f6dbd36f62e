package io.edgeai4j.nativebindings.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The checks the CLI makes before a build, without loading TensorRT: precision per major, the version rule. */
class TensorRtChecksTest {
  @ParameterizedTest
  @EnumSource(Precision.class)
  void aPrecisionIsRefusedOnlyWhereThisMajorCannotBuildIt(Precision precision) {
    boolean refused = precision == Precision.FP16 && TensorRt.presetVersion().major() >= 11;

    if (refused) {
      assertThatThrownBy(() -> TensorRt.checkPrecision(precision)).isInstanceOf(NativeBindingException.class)
          .hasMessageContaining("precision FP16").hasMessageContaining("TensorRT 11 has no FP16 builder flag");
    } else {
      assertThatCode(() -> TensorRt.checkPrecision(precision)).doesNotThrowAnyException();
    }
  }

  @Test
  void theVersionVerdictIsTheRulesForThisBuildsPresets() {
    TensorRtVersion preset = TensorRt.presetVersion();
    TensorRtVersion otherMajor = new TensorRtVersion(preset.major() + 1, 0, 0, 0);

    assertThat(TensorRt.versionVerdict(preset)).isEmpty();
    assertThat(TensorRt.versionVerdict(otherMajor)).isEqualTo(VersionRule.check(otherMajor, preset))
        .get().asString().contains("this build was compiled for TensorRT " + preset.major());
  }
}
