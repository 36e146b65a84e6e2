package org.clipmsm.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.clipmsm.InvalidInputException;

/**
 * Every CSV and TSV the project writes or reads, through Apache Commons CSV: RFC 4180 (fields quoted only where they
 * must be, quotes doubled) with {@code \n} line ends, UTF-8. Reading accepts what pandas writes: LF, CRLF or CR line
 * ends, quoted fields holding delimiters, quotes and line breaks, and a leading byte-order mark (skipped). The first
 * non-blank line is the header; blank lines (empty or only spaces) are skipped everywhere. Reading gives a
 * {@link Table} ({@link #read}), or the records one at a time for large files ({@link #open}); every error is one line
 * naming the file and the line, counted as an editor counts them (1-based, blank lines and line breaks inside quoted
 * fields included).
 */
public final class Csv {
  /** The format of every CSV written (and read by {@link #read(Path)}). */
  public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").build();

  /**
   * Tab-separated values, as BIDS {@code .tsv} files: {@link #FORMAT} with tabs. A field holding a tab, quote or
   * line break is quoted as in CSV (BIDS: "string values containing tabs must be escaped using double quotes").
   */
  public static final CSVFormat TSV = FORMAT.builder().setDelimiter('\t').build();

  private static final int BOM = '\uFEFF';
  /** Commons CSV's parse errors start with the line: "(line 2) invalid char ..." or "(startline 2) EOF ...". */
  private static final Pattern COMMONS_LINE = Pattern.compile("\\((?:start)?line (\\d+)\\) (.*)", Pattern.DOTALL);

  private Csv() {}

  /** A printer writing {@code header} first, then the records given to it. */
  public static CSVPrinter printer(Path file, String... header) {
    try {
      CSVPrinter p = new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), FORMAT);
      try {
        p.printRecord((Object[]) header);
      } catch (IOException e) {
        p.close();
        throw e;
      }
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
    return read(file, FORMAT);
  }

  /** A tab-separated file with a header line (a BIDS {@code .tsv}), read whole. */
  public static Table readTsv(Path file) {
    return read(file, TSV);
  }

  /**
   * A file with a header line in the given format ({@link #FORMAT}, {@link #TSV} or another delimiter or quote),
   * read whole.
   */
  public static Table read(Path file, CSVFormat format) {
    try (Rows rows = open(file, format)) {
      List<CSVRecord> records = new ArrayList<>();
      long[] lines = new long[64];
      for (CSVRecord r = rows.next(); r != null; r = rows.next()) {
        if (records.size() == lines.length) {
          lines = Arrays.copyOf(lines, 2 * lines.length);
        }
        lines[records.size()] = rows.line();
        records.add(r);
      }
      return new Table(file, rows.header(), records, Arrays.copyOf(lines, records.size()));
    }
  }

  /**
   * Opens a file to read its records one at a time after the header (for files too large to hold whole, such as
   * NSD's 73,000-row stimulus table). Only the delimiter and quote of {@code format} are used: the first non-blank
   * line is always the header, blank lines are skipped, and nothing is a comment.
   *
   * @throws InvalidInputException if the file cannot be read or has no header line
   */
  public static Rows open(Path file, CSVFormat format) {
    CSVFormat reading = format.builder().setIgnoreEmptyLines(false).setCommentMarker(null).setHeader((String[]) null)
        .setSkipHeaderRecord(false).build();
    Reader reader = null;
    try {
      reader = textReader(file);
      Rows rows = new Rows(file, kind(format), reading.parse(reader));
      reader = null; // closed with the rows from now on
      return rows;
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file + ": not UTF-8 text (expected " + kind(format) + ")", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read as " + kind(format) + " ("
          + InvalidInputException.firstLine(e) + ")", e);
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException ignored) {
          // already failing with a better message
        }
      }
    }
  }

  /** UTF-8 text with a leading byte-order mark skipped (Commons CSV 1.10 would keep it in the first field). */
  private static Reader textReader(Path file) throws IOException {
    BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    try {
      r.mark(1);
      if (r.read() != BOM) {
        r.reset();
      }
      return r;
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private static String kind(CSVFormat format) {
    return format.getDelimiterString().equals("\t") ? "TSV" : "CSV";
  }

  /**
   * The records of an open file, one at a time, each with the line it began on. Not thread-safe; close it (it is
   * closed for you when {@link #next} fails).
   */
  public static final class Rows implements AutoCloseable {
    private final Path file;
    private final String kind;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    /** The last line of the last record parsed (blank ones included); 0 before the first. */
    private long end;
    private long line;

    private Rows(Path file, String kind, CSVParser parser) {
      this.file = file;
      this.kind = kind;
      this.parser = parser;
      this.records = parser.iterator();
      CSVRecord h = next();
      if (h == null) {
        close();
        throw new InvalidInputException(file + ": empty (expected a header line)");
      }
      List<String> names = new ArrayList<>(h.size());
      for (String name : h) {
        names.add(name.strip());
      }
      this.header = Collections.unmodifiableList(names);
    }

    public Path file() {
      return file;
    }

    /** The header's fields, stripped of surrounding spaces. */
    public List<String> header() {
      return header;
    }

    /**
     * The next record that is not blank, or null at the end of the file.
     *
     * @throws InvalidInputException naming the file and line, if the text is not valid CSV (e.g. a quoted field
     *     never closed) or not UTF-8
     */
    public CSVRecord next() {
      while (true) {
        CSVRecord r;
        try {
          if (!records.hasNext()) {
            return null;
          }
          r = records.next();
        } catch (UncheckedIOException e) {
          close();
          throw failure(e.getCause());
        }
        // Blank lines are records here too (empty lines are not ignored), so records tile the lines: each begins on
        // the line after the one the previous record ended on, and the parser knows where this one ended.
        long start = end + 1;
        end = parser.getCurrentLineNumber();
        if (r.size() == 1 && r.get(0).isBlank()) {
          continue;
        }
        line = start;
        return r;
      }
    }

    /** The line on which the record last returned by {@link #next} began (1-based). */
    public long line() {
      return line;
    }

    private InvalidInputException failure(IOException e) {
      if (e instanceof CharacterCodingException) {
        // No line: the reader decodes a buffer ahead of the parser.
        return new InvalidInputException(file + ": not UTF-8 text (expected " + kind + ")", e);
      }
      long at = end + 1;
      String message = InvalidInputException.firstLine(e);
      Matcher m = COMMONS_LINE.matcher(message);
      if (m.matches()) {
        at = Long.parseLong(m.group(1));
        message = m.group(2);
      }
      if (message.startsWith("EOF reached before encapsulated token finished")) {
        message = "unterminated quoted field (its opening quote is on this line)";
      } else if (message.startsWith("invalid char between encapsulated token and delimiter")) {
        message = "text after a closing quote (expected a delimiter or the line end; a quote inside a quoted field"
            + " is written twice)";
      }
      return new InvalidInputException(file + ": line " + at + ": " + message, e);
    }

    @Override
    public void close() {
      try {
        parser.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + file, e);
      }
    }
  }

  /** The records of a file after its header, each with the line it began on. */
  public static final class Table {
    private final Path file;
    private final List<String> header;
    private final List<CSVRecord> records;
    private final long[] lines;

    private Table(Path file, List<String> header, List<CSVRecord> records, long[] lines) {
      this.file = file;
      this.header = header;
      this.records = Collections.unmodifiableList(records);
      this.lines = lines;
    }

    public Path file() {
      return file;
    }

    /** The header's fields, stripped of surrounding spaces. */
    public List<String> header() {
      return header;
    }

    /** The records after the header, blank lines left out. */
    public List<CSVRecord> records() {
      return records;
    }

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

    /** The line on which record {@code i} (0-based after the header) began, as an editor counts it (1-based). */
    public long line(int i) {
      return lines[i];
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
