package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The value of every sig query parameter is hidden, and nothing else changes. */
class SasRedactionTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "https://a.blob.core.windows.net/m/p.zip?sv=1&sig=abc%2Bdef%3D&se=2030 | https://a.blob.core.windows.net/m/p.zip?sv=1&sig=REDACTED&se=2030",
    "https://a.example/p.zip?sig=abc                                       | https://a.example/p.zip?sig=REDACTED",
    "https://a.example/p.zip?SIG=abc&x=1                                   | https://a.example/p.zip?SIG=REDACTED&x=1",
    "\"uri\" : \"https://a.example/p.zip?sp=r&sig=abc\",                    | \"uri\" : \"https://a.example/p.zip?sp=r&sig=REDACTED\",",
    "'see https://a.example/p?sig=abc and https://b.example/q?sig=xyz#top' | 'see https://a.example/p?sig=REDACTED and https://b.example/q?sig=REDACTED#top'",
    "https://a.example/p.zip?sv=1&sig=                                     | https://a.example/p.zip?sv=1&sig=REDACTED",
    "https://a.example/p.zip?sas=made-at-upload                            | https://a.example/p.zip?sas=made-at-upload",
    "https://a.example/p.zip?design=1&signature=2                          | https://a.example/p.zip?design=1&signature=2",
    "https://a.example/sig=abc                                             | https://a.example/sig=abc",
  })
  void redactsTheSignatureOnly(String text, String expected) {
    assertThat(SasRedaction.redact(text)).isEqualTo(expected);
  }
}
