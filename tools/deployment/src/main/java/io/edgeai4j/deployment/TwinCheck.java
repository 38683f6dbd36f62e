package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.modelpackage.TwinDocuments;
import java.util.ArrayList;
import java.util.List;

/** Checks a desired-properties document against IoT Hub's twin limits ({@link TwinDocuments}). */
final class TwinCheck {
  private static final String WHOLE_DOCUMENT = "\"\" (the whole document): ";

  private TwinCheck() {}

  /**
   * The twin limit problems of {@code desired}.
   *
   * @param desired A {@code properties.desired} object.
   * @param pointer Its pointer in the manifest.
   */
  static List<Problem> check(JsonNode desired, String pointer) {
    List<Problem> problems = new ArrayList<>();
    for (String problem : TwinDocuments.problems(desired)) {
      if (problem.startsWith(WHOLE_DOCUMENT)) {
        problems.add(Problem.error(pointer, "desired properties: " + problem.substring(WHOLE_DOCUMENT.length())));
      } else {
        int colon = problem.indexOf(": ");
        problems.add(Problem.error(pointer + problem.substring(0, colon), problem.substring(colon + 2)));
      }
    }
    return problems;
  }
}
