package io.edgeai4j.modelpackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes and unpacks model packages: one ZIP file with {@code model.onnx}, {@code model.json} and optionally
 * {@code golden.json} at its top level, nothing else (docs/model-updates.md). Stateless, thread-safe.
 */
public final class ModelPackage {
  /** The required model entry. */
  public static final String MODEL = "model.onnx";
  /** The required repository descriptor entry. */
  public static final String DESCRIPTOR = "model.json";
  /** The optional golden samples entry. */
  public static final String GOLDEN = "golden.json";

  private static final List<String> ENTRIES = List.of(MODEL, DESCRIPTOR, GOLDEN);
  /** Every entry gets this time, so that the same files give the same bytes (and sha256) anywhere. */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
  private static final int BUFFER_BYTES = 64 * 1024;

  private ModelPackage() {}

  /**
   * Writes a package, deterministically: entries in the order model.onnx, model.json, golden.json, each with the
   * same fixed time and no extra fields, so the same files give the same sha256. Replaces {@code zip} if it exists;
   * deletes it when writing fails (a missing input file, say).
   *
   * @param goldenJson Null for a package without golden samples.
   * @return {@code zip}.
   */
  public static Path write(Path zip, Path modelOnnx, Path modelJson, Path goldenJson) throws IOException {
    Map<String, Path> entries = new LinkedHashMap<>();
    entries.put(MODEL, modelOnnx);
    entries.put(DESCRIPTOR, modelJson);
    if (goldenJson != null) {
      entries.put(GOLDEN, goldenJson);
    }
    boolean complete = false;
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, Path> entry : entries.entrySet()) {
        ZipEntry zipEntry = new ZipEntry(entry.getKey());
        zipEntry.setTimeLocal(ENTRY_TIME);
        out.putNextEntry(zipEntry);
        Files.copy(entry.getValue(), out);
        out.closeEntry();
      }
      complete = true;
    } finally {
      if (!complete) {
        deleteQuietly(List.of(zip), null);
      }
    }
    return zip;
  }

  /**
   * Unpacks a package into {@code directory} (created when missing), checking every entry before writing any:
   * top-level names from the known set only, once each, model.onnx and model.json present. Bytes are counted while
   * inflating (the ZIP headers' sizes are not trusted), so a ZIP bomb stops after {@code maxBytes}. On any refusal
   * or I/O failure, the files written so far are deleted (and {@code directory}, when this call created it).
   *
   * @param maxBytes The most bytes one entry, and all entries together, may inflate to.
   * @throws InvalidPackageException When {@code zip} is not a ZIP file, or an entry is a directory, has a path
   *     ({@code /}, {@code \}, {@code ..}), is unknown, duplicated, missing, over {@code maxBytes}, or corrupt; the
   *     message names the entry.
   * @throws FileAlreadyExistsException When {@code directory} already holds one of the entries' files.
   */
  public static UnpackedPackage unpack(Path zip, Path directory, long maxBytes)
      throws IOException, InvalidPackageException {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes: expected at least 1, found " + maxBytes);
    }
    boolean createdDirectory = !Files.isDirectory(directory);
    List<Path> written = new ArrayList<>();
    boolean complete = false;
    try (ZipFile file = open(zip)) {
      Map<String, ZipEntry> entries = checkEntries(file);
      Files.createDirectories(directory);
      long total = 0;
      for (Map.Entry<String, ZipEntry> entry : entries.entrySet()) {
        Path target = directory.resolve(entry.getKey());
        total += extract(file, entry.getValue(), target, written, maxBytes, maxBytes - total);
      }
      complete = true;
      return new UnpackedPackage(directory, directory.resolve(MODEL), directory.resolve(DESCRIPTOR),
          entries.containsKey(GOLDEN) ? directory.resolve(GOLDEN) : null);
    } finally {
      if (!complete) {
        deleteQuietly(written, createdDirectory ? directory : null);
      }
    }
  }

  private static ZipFile open(Path zip) throws IOException, InvalidPackageException {
    if (!Files.isRegularFile(zip)) {
      throw new NoSuchFileException(zip.toString(), null, "no package file");
    }
    try {
      return new ZipFile(zip.toFile());
    } catch (ZipException e) {
      throw new InvalidPackageException("package " + zip.getFileName() + " is not a ZIP file: " + e.getMessage(), e);
    }
  }

  /** The entries by name in the order model.onnx, model.json, golden.json, after checking every name. */
  private static Map<String, ZipEntry> checkEntries(ZipFile file) throws InvalidPackageException {
    Map<String, ZipEntry> found = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      String name = entry.getName();
      if (entry.isDirectory()) {
        throw new InvalidPackageException("entry '" + name + "' is a directory; expected only the files "
            + String.join(", ", ENTRIES) + " at the top level");
      }
      if (name.contains("/") || name.contains("\\") || name.contains("..")) {
        throw new InvalidPackageException("entry '" + name + "' has a path; expected only the files "
            + String.join(", ", ENTRIES) + " at the top level");
      }
      if (!ENTRIES.contains(name)) {
        throw new InvalidPackageException("entry '" + name + "' is unknown; expected only "
            + String.join(", ", ENTRIES));
      }
      if (!seen.add(name)) {
        throw new InvalidPackageException("entry '" + name + "' appears more than once");
      }
    }
    for (String name : ENTRIES) {
      ZipEntry entry = file.getEntry(name);
      if (seen.contains(name)) {
        found.put(name, entry);
      } else if (!name.equals(GOLDEN)) {
        throw new InvalidPackageException("entry '" + name + "' is missing; a package needs " + MODEL + " and "
            + DESCRIPTOR);
      }
    }
    return found;
  }

  /**
   * Copies one entry into a new file {@code target} (added to {@code written} once created), counting inflated bytes
   * and checking the CRC; returns the bytes written.
   */
  private static long extract(ZipFile file, ZipEntry entry, Path target, List<Path> written, long maxEntryBytes,
      long maxRemaining) throws IOException, InvalidPackageException {
    CRC32 crc = new CRC32();
    long count = 0;
    OutputStream created = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    written.add(target);
    try (OutputStream out = created; InputStream in = file.getInputStream(entry)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        count += n;
        if (count > maxEntryBytes) {
          throw new InvalidPackageException("entry '" + entry.getName() + "' inflates to more than " + maxEntryBytes
              + " bytes, the most one entry may have");
        }
        if (count > maxRemaining) {
          throw new InvalidPackageException("entry '" + entry.getName() + "' takes the package over "
              + maxEntryBytes + " bytes, the most all entries together may have");
        }
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (ZipException e) {
      throw new InvalidPackageException("entry '" + entry.getName() + "' is corrupt: " + e.getMessage(), e);
    }
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new InvalidPackageException("entry '" + entry.getName() + "' is corrupt: CRC-32 "
          + Long.toHexString(crc.getValue()) + ", expected " + Long.toHexString(entry.getCrc()));
    }
    return count;
  }

  private static void deleteQuietly(List<Path> files, Path directory) {
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // best effort: the refusal or failure being thrown matters more
      }
    }
    if (directory != null) {
      try {
        Files.deleteIfExists(directory);
      } catch (IOException e) {
        // best effort, as above
      }
    }
  }
}
