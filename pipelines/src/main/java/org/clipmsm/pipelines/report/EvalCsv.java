package org.clipmsm.pipelines.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Csv;

/**
 * One CSV file of {@code evaluate} (docs/evaluation.md §3), read whole: fields by column name, numbers as doubles
 * with NaN for {@code NaN}, {@code nan} and empty fields. A missing column or a field that is not a number where one
 * is expected is an {@link InvalidInputException} naming the file (and the line).
 */
final class EvalCsv {
  private final Csv.Table table;

  private EvalCsv(Csv.Table table) {
    this.table = table;
  }

  /** Reads {@code file}, which must have every column of {@code required}. */
  static EvalCsv read(Path file, String... required) {
    Csv.Table t = Csv.read(file);
    List<String> missing = new ArrayList<>();
    for (String c : required) {
      if (!t.header().contains(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException(file + ": no column " + String.join(", ", missing) + " (found "
          + String.join(",", t.header()) + "; expected the columns of docs/evaluation.md)");
    }
    return new EvalCsv(t);
  }

  Path file() {
    return table.file();
  }

  List<String> header() {
    return table.header();
  }

  int size() {
    return table.size();
  }

  boolean has(String column) {
    return table.header().contains(column);
  }

  String text(int row, String column) {
    return table.get(row, table.column(column));
  }

  /** The field as a number: NaN for NaN, nan or an empty field; +-inf as written by NumPy or Java. */
  double number(int row, String column) {
    String v = text(row, column);
    Double d = parse(v);
    if (d == null) {
      throw new InvalidInputException(table.file() + ": line " + table.line(row) + ": expected a number in column "
          + column + ", got '" + v + "'");
    }
    return d;
  }

  /** Every field of a row, in the header's order. */
  List<String> row(int row) {
    List<String> out = new ArrayList<>(table.header().size());
    for (int c = 0; c < table.header().size(); c++) {
      out.add(table.get(row, c));
    }
    return out;
  }

  /** The distinct values of a column in the order they first appear. */
  List<String> distinct(String column) {
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < size(); i++) {
      seen.add(text(i, column));
    }
    return List.copyOf(seen);
  }

  /** A number, or null if the text is none. */
  static Double parse(String v) {
    String s = v.strip();
    switch (s.toLowerCase(Locale.ROOT)) {
      case "", "nan", "-nan", "na" -> {
        return Double.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
          return null;
        }
        return Double.parseDouble(s);
      }
    }
  }
}
