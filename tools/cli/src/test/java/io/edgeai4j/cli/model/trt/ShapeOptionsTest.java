package io.edgeai4j.cli.model.trt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShapeOptionsTest {
  @Test
  void fixedShapesInTrtexecSyntax() {
    assertThat(ShapeOptions.parse("image:1x1x28x28, mask:1x28", null, null, null)).containsExactly(
        ShapeProfile.fixed("image", 1, 1, 28, 28), ShapeProfile.fixed("mask", 1, 28));
  }

  @Test
  void rangesNeedAllThreeAndMayMixWithFixedInputs() {
    List<ShapeProfile> p = ShapeOptions.parse("mask:1x28", "image:1x1x28x28", "image:8x1x28x28",
        "image:32x1x28x28");
    assertThat(p).containsExactly(ShapeProfile.fixed("mask", 1, 28),
        new ShapeProfile("image", new long[] {1, 1, 28, 28}, new long[] {8, 1, 28, 28}, new long[] {32, 1, 28, 28}));
    assertThat(p.get(1)).hasToString("image:min=1x1x28x28,opt=8x1x28x28,max=32x1x28x28");
  }

  @Test
  void quotedNamesMayHoldColonsAndCommas() {
    assertThat(ShapeOptions.parse("'input:0':1x3,'a,b':2", null, null, null)).containsExactly(
        ShapeProfile.fixed("input:0", 1, 3), ShapeProfile.fixed("a,b", 2));
  }

  @Test
  void nothingGivenIsNoProfile() {
    assertThat(ShapeOptions.parse(null, "", null, " ")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      no colon            | image1x3      |               |               |               | --shapes: entry 'image1x3' has no ':'; expected NAME:DxDx... e.g. image:1x1x28x28
      no name             | :1x3          |               |               |               | --shapes: entry ':1x3' has no input name; expected NAME:DxDx... e.g. image:1x1x28x28
      zero dimension      | image:0x3     |               |               |               | --shapes: entry 'image:0x3': dimension '0' is not a positive integer; expected NAME:DxDx... e.g. image:1x1x28x28
      open dimension      | image:-1x3    |               |               |               | --shapes: entry 'image:-1x3': dimension '-1' is not a positive integer; expected NAME:DxDx... e.g. image:1x1x28x28
      not a number        | image:ax3     |               |               |               | --shapes: entry 'image:ax3': dimension 'a' is not a positive integer; expected NAME:DxDx... e.g. image:1x1x28x28
      twice               | a:1,a:2       |               |               |               | --shapes: input 'a' is given twice
      unbalanced quote    | 'a:1          |               |               |               | --shapes: unbalanced quote in ''a:1'
      fixed and ranged    | a:1           | a:1           | a:2           | a:4           | input 'a' is in --shapes (a fixed shape) and in --min/--opt/--max-shapes (a range); give one or the other
      missing max         |               | a:1           | a:2           |               | input 'a' has a range but is missing from --max-shapes; a dynamic input needs --min-shapes, --opt-shapes and --max-shapes
      missing min and opt |               |               |               | a:4           | input 'a' has a range but is missing from --min-shapes, --opt-shapes; a dynamic input needs --min-shapes, --opt-shapes and --max-shapes
      opt above max       |               | a:1x3         | a:8x3         | a:4x3         | input 'a' dimension 0: expected 1 <= min <= opt <= max, found 1, 8, 4
      ranks differ        |               | a:1x3         | a:2x3         | a:4           | input 'a': min [1, 3], opt [2, 3] and max [4] must have the same, non-zero rank
      """)
  void malformedOptionsAreNamed(String name, String shapes, String min, String opt, String max, String message) {
    assertThatThrownBy(() -> ShapeOptions.parse(shapes, min, opt, max)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
