package org.clipmsm.pipelines.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.io.Csv;

/**
 * One output CSV of evaluate, through {@link Csv}: numbers as Java's shortest round-trip text ({@code 0.123},
 * {@code 1.0E-5}), NaN as {@code NaN}, infinities as {@code inf} / {@code -inf} (all of which pandas and numpy
 * read), whole counts as integers, and an absent value as an empty field.
 */
final class CsvFile implements AutoCloseable {
  private final Path file;
  private final CSVPrinter printer;
  private final int columns;

  private CsvFile(Path file, String... header) {
    this.file = file;
    this.printer = Csv.printer(file, header);
    this.columns = header.length;
  }

  static CsvFile create(Path file, String... header) {
    return new CsvFile(file, header);
  }

  /** One record: Double and Float as numbers, other values as their text, null as an empty field. */
  void row(Object... fields) {
    if (fields.length != columns) {
      throw new IllegalArgumentException(file.getFileName() + ": " + fields.length + " fields for " + columns
          + " columns: " + Arrays.toString(fields));
    }
    String[] text = new String[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Object f = fields[i];
      text[i] = f == null ? "" : f instanceof Double d ? num(d) : f instanceof Float x ? num(x) : f.toString();
    }
    try {
      printer.printRecord((Object[]) text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String num(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    return Double.toString(x);
  }

  /** Degrees of freedom and other whole numbers that may be undefined: an integer, or NaN. */
  static String whole(double x) {
    return Double.isNaN(x) ? "NaN" : Long.toString((long) x);
  }

  @Override
  public void close() {
    try {
      printer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
