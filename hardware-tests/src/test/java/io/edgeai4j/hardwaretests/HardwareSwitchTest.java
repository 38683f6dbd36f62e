package io.edgeai4j.hardwaretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HardwareSwitchTest {

  @ParameterizedTest(name = "edgeai4j.hardware=''{0}'': disabled")
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void absentDisablesWithHowToEnable(String value) {
    ConditionEvaluationResult r = HardwareSwitch.decide(value);

    assertThat(r.isDisabled()).isTrue();
    assertThat(r.getReason()).hasValue("hardware test skipped: run with -Dedgeai4j.hardware=jetson on a Jetson"
        + " (mvn -B -ntp verify -pl hardware-tests -am -Dedgeai4j.hardware=jetson) to enable it");
  }

  @Test
  void jetsonEnables() {
    assertThat(HardwareSwitch.decide("jetson").isDisabled()).isFalse();
  }

  @ParameterizedTest(name = "edgeai4j.hardware={0}: a failure")
  @CsvSource({"orin", "JETSON", "true", "'jetson '"})
  void anyOtherValueIsAFailureNamingTheAcceptedValues(String value) {
    assertThatThrownBy(() -> HardwareSwitch.decide(value)).isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("-Dedgeai4j.hardware=" + value + " is not a hardware this suite knows: expected one of [jetson],"
            + " or leave it unset to skip the hardware tests");
  }

  @Test
  void aMachineThatCannotRunTheSuiteFailsWithEveryReason() {
    JetsonReady.check(List.of());
    assertThatThrownBy(() -> JetsonReady.check(List.of("os.arch is amd64: expected aarch64 (a Jetson)",
        "libcudart.so.12 not found in [/usr/local/cuda/lib64]")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("-Dedgeai4j.hardware=jetson, but this machine cannot run the Jetson hardware suite:\n"
            + "  - os.arch is amd64: expected aarch64 (a Jetson)\n"
            + "  - libcudart.so.12 not found in [/usr/local/cuda/lib64]");
  }
}
