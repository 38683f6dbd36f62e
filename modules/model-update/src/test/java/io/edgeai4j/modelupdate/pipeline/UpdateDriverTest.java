package io.edgeai4j.modelupdate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code failed} reasons written by earlier versions of the module are retried now. */
class UpdateDriverTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "download: download failed after 6 attempts (download.retries 5): status 503 | true",
      "download: free space: /s/downloads/m has 1000 bytes usable, the package needs 99 | true",
      "unpack: free space: /s/archive/m has 1000 bytes usable, unpacking version 1 needs 99 | true",
      "download: writing /s/downloads/m/1-ab.part failed at byte 0: java.io.IOException: No space left on device | true",
      "download: status 404 from host/m/1/package.zip, expected 200 | false",
      "sha256 of the downloaded package is ab, the release says cd | false",
      "download: writing /s/1.part failed at byte 0: java.io.IOException: Input/output error | false"})
  void failuresOfEarlierVersionsThatNowPassAreRecognised(String reason, boolean retried) {
    assertThat(UpdateDriver.failedOnlyForAPassingReason(reason)).isEqualTo(retried);
  }
}
