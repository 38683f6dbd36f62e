package io.edgeai4j.optimize.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A data directory in ONNX's own test-data layout: {@code DIR/test_data_set_<n>/input_<i>.pb} (each a serialized
 * {@code TensorProto} holding a batch of one or more rows, {@code i} in the order of the model's inputs) and, for
 * labelled evaluation, {@code labels.pb} (int64 class indices, one per row) in the same set. Sets are read one at a
 * time, in the order of {@code n} (numeric, not lexical), so a data set larger than memory streams. Immutable once
 * opened; each {@link #iterator()} reads the files again.
 */
public final class TestDataSets implements Iterable<TestDataSets.DataSet> {
  private static final Pattern SET = Pattern.compile("test_data_set_(\\d+)");
  private static final Pattern INPUT = Pattern.compile("input_(\\d+)\\.pb");

  /**
   * One {@code test_data_set_<n>}: its inputs in the model's order, its labels when it has {@code labels.pb}.
   *
   * @param directory The set's directory.
   */
  public record DataSet(Path directory, List<DataTensor> inputs, Optional<DataTensor> labels) {
    public DataSet {
      inputs = List.copyOf(inputs);
    }
  }

  private final Path root;
  private final List<Path> sets;

  private TestDataSets(Path root, List<Path> sets) {
    this.root = root;
    this.sets = List.copyOf(sets);
  }

  /**
   * Lists the sets of a data directory (reads no tensor yet).
   *
   * @throws DataSetException When the directory is missing, not a directory, or holds no {@code test_data_set_<n>}.
   */
  public static TestDataSets open(Path root) throws DataSetException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      children.filter(Files::isDirectory).filter(p -> SET.matcher(p.getFileName().toString()).matches())
          .forEach(found::add);
    } catch (NoSuchFileException e) {
      throw new DataSetException(root, "no such directory", e);
    } catch (NotDirectoryException e) {
      throw new DataSetException(root, "not a directory; expected a data directory holding test_data_set_<n>/", e);
    } catch (IOException e) {
      throw new DataSetException(root, "cannot be listed: " + e, e);
    }
    if (found.isEmpty()) {
      throw new DataSetException(root, "holds no test_data_set_<n>/ directory; expected ONNX's test-data layout"
          + " (test_data_set_0/input_0.pb, ...)", null);
    }
    found.sort((a, b) -> Long.compare(number(SET, a), number(SET, b)));
    return new TestDataSets(root, found);
  }

  private static long number(Pattern pattern, Path p) {
    Matcher m = pattern.matcher(p.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalStateException(p.toString());
    }
    return Long.parseLong(m.group(1));
  }

  public Path root() {
    return root;
  }

  /** How many sets the directory holds. */
  public int size() {
    return sets.size();
  }

  /**
   * Reads one set: {@code input_0.pb} ... {@code input_<k>.pb} (numbered from 0 without a gap) and {@code labels.pb}
   * when present.
   *
   * @throws DataSetException Naming the file that is missing or cannot be read.
   */
  public static DataSet read(Path set) throws DataSetException {
    List<Path> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(set)) {
      files.filter(p -> INPUT.matcher(p.getFileName().toString()).matches()).forEach(inputs::add);
    } catch (IOException e) {
      throw new DataSetException(set, "cannot be listed: " + e, e);
    }
    if (inputs.isEmpty()) {
      throw new DataSetException(set, "holds no input_<i>.pb", null);
    }
    inputs.sort((a, b) -> Long.compare(number(INPUT, a), number(INPUT, b)));
    List<DataTensor> tensors = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      if (number(INPUT, inputs.get(i)) != i) {
        throw new DataSetException(set, "input_" + i + ".pb is missing (found " + inputs.get(i).getFileName()
            + "); inputs are numbered from 0 in the order of the model's inputs", null);
      }
      tensors.add(TensorFiles.read(inputs.get(i)));
    }
    Path labels = set.resolve("labels.pb");
    Optional<DataTensor> label = Optional.empty();
    if (Files.exists(labels)) {
      DataTensor l = TensorFiles.read(labels);
      if (l.rows() != tensors.get(0).rows()) {
        throw new DataSetException(labels, "holds " + l.rows() + " labels for " + tensors.get(0).rows()
            + " rows of input_0.pb; expected one label per row", null);
      }
      label = Optional.of(l);
    }
    return new DataSet(set, tensors, label);
  }

  /** The sets in order, each read when the iteration reaches it; a set that cannot be read throws {@link DataSetUncheckedException}. */
  @Override
  public Iterator<DataSet> iterator() {
    Iterator<Path> paths = sets.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return paths.hasNext();
      }

      @Override
      public DataSet next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        try {
          return read(paths.next());
        } catch (DataSetException e) {
          throw new DataSetUncheckedException(e);
        }
      }
    };
  }

  /** A {@link DataSetException} met while iterating. */
  public static final class DataSetUncheckedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DataSetUncheckedException(DataSetException cause) {
      super(cause.getMessage(), cause);
    }

    @Override
    public synchronized DataSetException getCause() {
      return (DataSetException) super.getCause();
    }
  }
}
