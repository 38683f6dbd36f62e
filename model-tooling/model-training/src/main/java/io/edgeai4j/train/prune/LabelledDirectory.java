package io.edgeai4j.train.prune;

import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.train.fit.DataDirectoryRows;
import io.edgeai4j.train.fit.LabelledRows;
import java.nio.file.Path;

/**
 * Reads a labelled data directory (ONNX's test-data layout with {@code labels.pb} in each set, as
 * {@code edge model dataset} writes it) into {@link LabelledRows} for pruning recovery: {@link DataDirectoryRows}'s
 * rules, and labels required.
 */
public final class LabelledDirectory {
  private LabelledDirectory() {}

  /** @throws PruningException A directory without labels, or one {@link DataDirectoryRows} refuses (its message). */
  public static LabelledRows read(Path dir) throws PruningException {
    try {
      return DataDirectoryRows.read(dir).labelled().orElseThrow(() -> new PruningException(dir + ": no set holds"
          + " labels.pb; fine-tuning needs a class index per row (unlabelled data: use `edge model distill`)"));
    } catch (DataSetException e) {
      throw new PruningException(e.getMessage(), e);
    }
  }
}
