package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnumsTest {
  @ParameterizedTest
  @EnumSource(Precision.class)
  void precisionRoundTrips(Precision precision) {
    assertThat(Precision.parse(precision.spelling())).isEqualTo(precision);
  }

  @ParameterizedTest
  @EnumSource(ModelFormat.class)
  void formatRoundTrips(ModelFormat format) {
    assertThat(ModelFormat.parse(format.spelling())).isEqualTo(format);
  }

  @Test
  void spellingsAndRefusals() {
    assertThat(Precision.FP16.spelling()).isEqualTo("fp16");
    assertThat(ModelFormat.ONNX.spelling()).isEqualTo("onnx");
    assertThatThrownBy(() -> Precision.parse("FP16")).hasMessage("expected one of fp32, fp16, int8, found 'FP16'");
    assertThatThrownBy(() -> ModelFormat.parse("pt")).hasMessage("expected one of onnx, found 'pt'");
    assertThatThrownBy(() -> new Target("openvino", null))
        .hasMessage("expected one of onnxruntime-cpu, onnxruntime-cuda, tensorrt, found 'openvino'");
    assertThat(new Target(null, null).backend()).isNull();
  }
}
