package io.edgeai4j.inference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionPolicyTest {
  private static TreeSet<Long> versions(String list) {
    TreeSet<Long> set = new TreeSet<>();
    if (!list.isBlank()) {
      Arrays.stream(list.trim().split(" +")).map(Long::parseLong).forEach(set::add);
    }
    return set;
  }

  private static VersionPolicy policy(String text) {
    String[] parts = text.split(":");
    return parts[0].equals("latest") ? VersionPolicy.latest(Integer.parseInt(parts[1]))
        : VersionPolicy.specific(versions(parts[1]));
  }

  @ParameterizedTest(name = "{1} of [{0}] -> [{2}]")
  @CsvSource(delimiter = '|', textBlock = """
      1 2 3 5   | latest:1     | 5
      1 2 3 5   | latest:2     | 3 5
      1 2 3 5   | latest:4     | 1 2 3 5
      1 2 3 5   | latest:10    | 1 2 3 5
      7         | latest:1     | 7
                | latest:1     |
      1 2 3 5   | specific:1 3 | 1 3
      1 2 3 5   | specific:4   | 4
      1 2 3 5   | specific:5 2 | 2 5
      """)
  void picksTheVersionsToServe(String onDisk, String policy, String expected) {
    assertThat(List.copyOf(policy(policy).select(versions(onDisk == null ? "" : onDisk))))
        .isEqualTo(List.copyOf(versions(expected == null ? "" : expected)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      latest:0    | versionPolicy.latest must be 1 to 100, found 0
      latest:101  | versionPolicy.latest must be 1 to 100, found 101
      specific:0  | versionPolicy.specific versions must be positive, found 0
      """)
  void refusesPoliciesOutOfRange(String policy, String message) {
    assertThatThrownBy(() -> policy(policy)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
