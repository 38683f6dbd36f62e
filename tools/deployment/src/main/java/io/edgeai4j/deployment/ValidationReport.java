package io.edgeai4j.deployment;

import java.util.List;

/**
 * What {@link ManifestValidator} found, in manifest order.
 *
 * @param problems Errors and warnings.
 */
public record ValidationReport(List<Problem> problems) {
  /** Copies the list. */
  public ValidationReport {
    problems = List.copyOf(problems);
  }

  /** Whether the manifest has no errors (warnings allowed). */
  public boolean valid() {
    return errors().isEmpty();
  }

  /** The errors. */
  public List<Problem> errors() {
    return problems.stream().filter(problem -> problem.severity() == Severity.ERROR).toList();
  }

  /** The warnings. */
  public List<Problem> warnings() {
    return problems.stream().filter(problem -> problem.severity() == Severity.WARNING).toList();
  }
}
