package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Source normalisation and prefix matching. */
class MessageSourceTest {
  private static final String MODULE_OUT = "/messages/modules/abc/outputs/out1/";
  private static final String MODULE_NO_OUTPUT = "/messages/modules/abc/";
  private static final String OTHER_MODULE = "/messages/modules/abcd/outputs/out1/";

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          /                                       => /
          /*                                      => /
          /**                                     => /
          /messages                               => /messages/
          /messages/*                             => /messages/
          /messages/modules                       => /messages/modules/
          /messages/modules/abc/*                 => /messages/modules/abc/
          /messages/modules/abc*                  => /messages/modules/abc/
          /messages/modules/abc/outputs/out1      => /messages/modules/abc/outputs/out1/
          `  /messages//  `                       => /messages/
          /twinChangeNotifications                => /twinChangeNotifications/
          """)
  void normalisesTheSourceText(String text, String pattern) {
    assertThat(MessageSource.of(text).pattern()).isEqualTo(pattern);
  }

  @ParameterizedTest(name = "{0} vs {1} => {2}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          /*                                  => /messages/                           => true
          /*                                  => /twinChangeNotifications/            => true
          /*                                  => /messages/modules/abc/outputs/out1/  => true
          /messages/*                         => /messages/                           => true
          /messages/*                         => /messages/modules/abc/outputs/out1/  => true
          /messages/*                         => /twinChangeNotifications/            => false
          /messages                           => /messages                            => true
          /messages/modules/*                 => /messages/                           => false
          /messages/modules/*                 => /messages/modules/abc/               => true
          /messages/modules/abc/*             => /messages/modules/abc/outputs/out1/  => true
          /messages/modules/abc/*             => /messages/modules/abc/               => true
          /messages/modules/abc/*             => /messages/modules/abc                => true
          /messages/modules/abc/*             => /messages/modules/abcd/outputs/out1/ => false
          /messages/modules/abc/outputs/*     => /messages/modules/abc/               => false
          /messages/modules/abc/outputs/out1  => /messages/modules/abc/outputs/out1/  => true
          /messages/modules/abc/outputs/out1  => /messages/modules/abc/outputs/out10/ => false
          /Messages/Modules/ABC               => /messages/modules/abc/outputs/out1/  => true
          /messages/modules/abc               => /MESSAGES/MODULES/ABC/OUTPUTS/X/     => true
          /message                            => /messages/                           => false
          /twinChangeNotifications            => /twinChangeNotifications/            => true
          /twinChangeNotifications/*          => /twinChangeNotifications             => true
          /twinChangeNotifications            => /messages/                           => false
          /*/messages/*                       => /messages/                           => false
          """)
  void matchesByCaseInsensitivePrefix(String source, String path, boolean matches) {
    assertThat(MessageSource.of(source).matches(path)).isEqualTo(matches);
  }

  @Test
  void buildsModulePaths() {
    assertThat(MessageSource.moduleOutputPath("abc", "out1")).isEqualTo(MODULE_OUT);
    assertThat(MessageSource.modulePath("abc")).isEqualTo(MODULE_NO_OUTPUT);
    assertThat(MessageSource.of("/messages/modules/abc/*").matches(OTHER_MODULE)).isFalse();
    assertThatThrownBy(() -> MessageSource.moduleOutputPath(" ", "out"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageSource.modulePath(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          messageType=twinChangeNotification,connectionModuleId=abc  => /twinChangeNotifications/
          messageType=TwinChangeNotification                         => /twinChangeNotifications/
          connectionModuleId=abc,outputName=out1                     => /messages/modules/abc/outputs/out1/
          connectionModuleId=abc                                     => /messages/modules/abc/
          connectionDeviceId=leaf                                    => /messages/
          messageType=telemetry,connectionDeviceId=leaf              => /messages/
          """)
  void computesTheSourcePathLikeEdgeHub(String systemProperties, String path) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (String pair : systemProperties.split(",")) {
      String[] kv = pair.split("=");
      map.put(kv[0], kv[1]);
    }

    assertThat(MessageSource.sourcePathFor(map)).isEqualTo(path);
    assertThat(RoutingMessage.of(null, map, null).sourcePath()).isEqualTo(path);
  }

  @Test
  void rejectsABlankSource() {
    assertThatThrownBy(() -> MessageSource.of(" \t"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalityIgnoresCase() {
    assertThat(MessageSource.of("/Messages/*"))
        .isEqualTo(MessageSource.of("/messages"))
        .hasSameHashCodeAs(MessageSource.of("/MESSAGES/"))
        .isNotEqualTo(MessageSource.of("/messages/modules"));
    assertThat(MessageSource.of("/messages/*")).hasToString("/messages/");
  }
}
