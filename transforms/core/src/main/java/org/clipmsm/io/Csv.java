package org.clipmsm.io;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.clipmsm.InvalidInputException;

/**
 * Every CSV the project writes or reads, through Apache Commons CSV: RFC 4180 (fields quoted only where they must
 * be, quotes doubled) with {@code \n} line ends, UTF-8. Reading gives a {@link Table} whose errors name the file,
 * the line and the column.
 */
public final class Csv {
  /** The format of every CSV written. */
  public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").build();

  private Csv() {}

  /** A printer writing {@code header} first, then the records given to it. */
  public static CSVPrinter printer(Path file, String... header) {
    try {
      Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      CSVPrinter p = new CSVPrinter(w, FORMAT);
      p.printRecord((Object[]) header);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** One record as a line (with its line end), for parts that are concatenated later. */
  public static String line(Object... fields) {
    return FORMAT.format(fields) + "\n";
  }

  /** A CSV file with a header line, read whole. */
  public static Table read(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser p = CSVFormat.RFC4180.parse(r)) {
      List<CSVRecord> all = p.getRecords();
      if (all.isEmpty()) {
        throw new InvalidInputException(file + ": empty (expected a header line)");
      }
      List<String> header = new ArrayList<>();
      for (String h : all.get(0)) {
        header.add(h.strip());
      }
      return new Table(file, header, all.subList(1, all.size()));
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file + ": not UTF-8 text (expected CSV)", e);
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidInputException(file + ": cannot read as CSV (" + InvalidInputException.firstLine(e) + ")", e);
    }
  }

  /** The records of a CSV file after its header. */
  public record Table(Path file, List<String> header, List<CSVRecord> records) {
    /** The index of the first of these columns that the header has. */
    public int column(String... names) {
      for (String n : names) {
        int c = header.indexOf(n);
        if (c >= 0) {
          return c;
        }
      }
      throw new InvalidInputException(file + ": no '" + String.join("' or '", names) + "' column (found "
          + header + ")");
    }

    public int size() {
      return records.size();
    }

    /** The line of record {@code i} (0-based after the header) as an editor counts it (1-based). */
    public long line(int i) {
      return records.get(i).getRecordNumber();
    }

    /** Field {@code column} of record {@code i}, stripped; an error naming the line if the record is short. */
    public String get(int i, int column) {
      CSVRecord r = records.get(i);
      if (column >= r.size()) {
        throw new InvalidInputException(file + ": line " + line(i) + ": " + r.size() + " fields, no '"
            + header.get(column) + "' (expected " + header.size() + ")");
      }
      return r.get(column).strip();
    }

    /** Field {@code column} of record {@code i} as a whole number. */
    public long getLong(int i, int column) {
      String v = get(i, column);
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new InvalidInputException(file + ": line " + line(i) + ": expected a whole number in column "
            + header.get(column) + ", got '" + v + "'");
      }
    }
  }
}
