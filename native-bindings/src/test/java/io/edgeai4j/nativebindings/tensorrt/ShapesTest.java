package io.edgeai4j.nativebindings.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShapesTest {
  private static long[] dims(String s) {
    return s.isBlank() ? new long[0] : Arrays.stream(s.split("x")).mapToLong(Long::parseLong).toArray();
  }

  @ParameterizedTest
  @CsvSource({"1x3x224x224, 150528", "32x10, 320", "'', 1", "8x0x4, 0"})
  void volume(String shape, long expected) {
    assertThat(Shapes.volume("t", dims(shape))).isEqualTo(expected);
  }

  @Test
  void aDynamicDimensionHasNoVolume() {
    assertThatThrownBy(() -> Shapes.volume("images", new long[] {-1, 3, 224, 224}))
        .hasMessage("images: dimension 0 is -1 in [-1, 3, 224, 224], expected at least 0");
  }

  @Test
  void tensorRtHoldsAtMostEightDimensions() {
    assertThatThrownBy(() -> Shapes.requireValid("x", new long[9], -1))
        .hasMessage("x: rank 9 [0, 0, 0, 0, 0, 0, 0, 0, 0], TensorRT holds at most 8 dimensions");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      1x3x224x224  | 1x3x224x224 | 32x3x224x224 | ok
      8x3x224x224  | 1x3x224x224 | 32x3x224x224 | ok
      33x3x224x224 | 1x3x224x224 | 32x3x224x224 | input 'images': shape [33, 3, 224, 224], expected between [1, 3, 224, 224] and [32, 3, 224, 224]
      8x3x224      | 1x3x224x224 | 32x3x224x224 | input 'images': shape [8, 3, 224], expected between [1, 3, 224, 224] and [32, 3, 224, 224]
      8x3x112x224  | 1x3x224x224 | 32x3x224x224 | input 'images': shape [8, 3, 112, 224], expected between [1, 3, 224, 224] and [32, 3, 224, 224]
      """)
  void aShapeMustLieInTheProfile(String shape, String min, String max, String expected) {
    if (expected.equals("ok")) {
      assertThatCode(() -> Shapes.requireWithin("images", dims(shape), dims(min), dims(max)))
          .doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> Shapes.requireWithin("images", dims(shape), dims(min), dims(max)))
          .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
    }
  }
}
