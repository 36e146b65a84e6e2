package org.clipmsm.embed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;

/**
 * Features a user computed elsewhere: a {@code .npy} of shape {@code (n, d)} or {@code (n, 1, d)} plus a keys file
 * naming each row (nsdId, cocoId, stimulus name), always joined by key, never by row order. The keys file is CSV with
 * a header; the key column is the one named (e.g. {@code nsdId}), else the first of {@code key}, {@code nsdId},
 * {@code cocoId}, {@code stimulus}, {@code image} present, else a file's only column.
 */
public final class KeyedFeatures {
  private static final List<String> KEY_COLUMNS = List.of("key", "nsdId", "cocoId", "stimulus", "image");

  private final Path features;
  private final int dim;
  private final double[] columnMajor;
  private final int rows;
  private final Map<String, Integer> rowOf;

  private KeyedFeatures(Path features, int rows, int dim, double[] columnMajor, Map<String, Integer> rowOf) {
    this.features = features;
    this.rows = rows;
    this.dim = dim;
    this.columnMajor = columnMajor;
    this.rowOf = rowOf;
  }

  /**
   * Reads the features and their keys.
   *
   * @param column the key column, or null to find it
   * @throws InvalidInputException if a file cannot be read, the row counts differ, or a key repeats
   */
  public static KeyedFeatures read(Path features, Path keys, String column) {
    NpyHeader h = Npy.readHeader(features);
    double[] values = Npy.readMatrix(features);
    List<String> k = readKeys(keys, column);
    if (k.size() != h.rows()) {
      throw new InvalidInputException(keys + ": " + k.size() + " keys for the " + h.rows() + " rows of " + features
          + " (expected one key per row)");
    }
    Map<String, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < k.size(); i++) {
      Integer before = rowOf.put(k.get(i), i);
      if (before != null) {
        throw new InvalidInputException(keys + ": key " + k.get(i) + " at rows " + before + " and " + i
            + " (expected each key once)");
      }
    }
    return new KeyedFeatures(features, h.rows(), h.cols(), values, rowOf);
  }

  /**
   * The keys of a CSV file's key column, in file order (read through {@link Csv}: quoted fields, a byte-order mark
   * and CRLF line ends are fine; blank lines are skipped).
   *
   * @param column the key column, or null to find it
   * @throws InvalidInputException naming the file (and line) if it cannot be read, lacks the column or a row is short
   */
  public static List<String> readKeys(Path file, String column) {
    Csv.Table t = Csv.read(file);
    List<String> header = t.header();
    int col;
    if (column != null) {
      col = header.indexOf(column);
      if (col < 0) {
        throw new InvalidInputException(file + ": no column " + column + " in the header " + header);
      }
    } else {
      col = KEY_COLUMNS.stream().mapToInt(header::indexOf).filter(i -> i >= 0).findFirst()
          .orElse(header.size() == 1 ? 0 : -1);
      if (col < 0) {
        throw new InvalidInputException(file + ": no key column in the header " + header + " (expected one of "
            + KEY_COLUMNS + ", or name it)");
      }
    }
    List<String> keys = new ArrayList<>(t.size());
    for (int i = 0; i < t.size(); i++) {
      if (col >= t.records().get(i).size()) {
        throw new InvalidInputException(file + ": line " + t.line(i) + " has no column " + header.get(col));
      }
      keys.add(t.get(i, col));
    }
    return keys;
  }

  public int dim() {
    return dim;
  }

  public int rows() {
    return rows;
  }

  /** The feature row of a key. */
  public float[] row(String key) {
    Integer r = rowOf.get(key);
    if (r == null) {
      throw new InvalidInputException(features + ": no features for key " + key + " (its keys file has no such key)");
    }
    float[] out = new float[dim];
    for (int j = 0; j < dim; j++) {
      out[j] = (float) columnMajor[r + j * rows];
    }
    return out;
  }
}
