package org.clipmsm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Csv against hand-written text: what is written, what is read back, and where errors point. */
class CsvTest {
  @TempDir
  Path tmp;

  private Path write(String name, String text) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  /** Every record of a table as its fields, then its line, e.g. "[1, 2]@3". */
  private static List<String> shown(Csv.Table t) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      out.add(t.records().get(i).toList() + "@" + t.line(i));
    }
    return out;
  }

  @Test
  void writingQuotesOnlyWhereNeeded() throws Exception {
    Path f = tmp.resolve("w.csv");
    try (CSVPrinter p = Csv.printer(f, "key", "text")) {
      p.printRecord("plain", "a,b");
      p.printRecord("quote", "say \"hi\"");
      p.printRecord("newline", "one\ntwo");
      p.printRecord("empty", "");
    }
    assertEquals("key,text\nplain,\"a,b\"\nquote,\"say \"\"hi\"\"\"\nnewline,\"one\ntwo\"\nempty,\n",
        Files.readString(f));
    assertEquals("x,\"a,b\",\"q\"\"\"\n", Csv.line("x", "a,b", "q\""));
    assertEquals("a\t\"b\tc\"\tplain\n", Csv.TSV.format("a", "b\tc", "plain") + "\n");
  }

  @Test
  void quotedFieldsRoundTrip() throws Exception {
    List<List<String>> rows = List.of(List.of("1", "a,b"), List.of("2", "say \"hi\", ok"), List.of("3", "one\ntwo"),
        List.of("4", "cr\r\nlf"), List.of("5", " spaced "));
    Path f = tmp.resolve("round.csv");
    try (CSVPrinter p = Csv.printer(f, "id", "value")) {
      for (List<String> r : rows) {
        p.printRecord(r);
      }
    }
    Csv.Table t = Csv.read(f);
    assertEquals(List.of("id", "value"), t.header());
    assertEquals(rows, t.records().stream().map(CSVRecord::toList).toList());
    // Records 3 and 4 each hold a line break (CRLF counts as one), so each pushes the next one line further.
    assertArrayEquals(new long[] {2, 3, 4, 6, 8}, new long[] {t.line(0), t.line(1), t.line(2), t.line(3), t.line(4)});
    assertEquals("spaced", t.get(4, 1)); // get strips; the record keeps the spaces
  }

  @Test
  void readsWhatPandasWrites() throws Exception {
    // BOM, CRLF, an unnamed index column, quoted fields with commas and doubled quotes.
    Path f = write("pandas.csv", "\uFEFF,cocoId,cropBox,note\r\n0,532481,\"(0, 0.1671875, 0, 0)\",\"a \"\"b\"\"\"\r\n"
        + "1,245764,\"(0, 0, 0.1, 0.1)\",\r\n");
    Csv.Table t = Csv.read(f);
    assertEquals(List.of("", "cocoId", "cropBox", "note"), t.header());
    assertEquals(List.of("[0, 532481, (0, 0.1671875, 0, 0), a \"b\"]@2", "[1, 245764, (0, 0, 0.1, 0.1), ]@3"),
        shown(t));
    assertEquals(1, t.column("cocoId"));
    assertEquals(245764, t.getLong(1, 1));
  }

  @Test
  void byteOrderMarkIsSkippedOnlyAtTheStart() throws Exception {
    Csv.Table t = Csv.read(write("bom.csv", "\uFEFFid\n\uFEFFx\n"));
    assertEquals(List.of("id"), t.header());
    assertEquals(List.of("[\uFEFFx]@2"), shown(t));
    // A BOM alone is an empty file.
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Csv.read(write("onlybom.csv",
        "\uFEFF")));
    assertEquals(tmp.resolve("onlybom.csv") + ": empty (expected a header line)", e.getMessage());
  }

  @Test
  void lineEndsLfCrlfAndCrAndNoFinalLineEnd() throws Exception {
    for (String nl : List.of("\n", "\r\n", "\r")) {
      Csv.Table t = Csv.read(write("ends.csv", "a,b" + nl + "1,2" + nl + "3,\"x" + nl + "y\"" + nl + "5,6"));
      assertEquals(List.of("[1, 2]@2", "[3, x" + nl + "y]@3", "[5, 6]@5"), shown(t), nl.replace("\r", "CR"));
    }
  }

  @Test
  void blankLinesAreSkippedButCounted() throws Exception {
    Path f = write("blank.csv", "\n  \na,b\n\n1,2\n   \n\r\n3,4\n\n\n");
    Csv.Table t = Csv.read(f);
    assertEquals(List.of("a", "b"), t.header());
    assertEquals(List.of("[1, 2]@5", "[3, 4]@8"), shown(t));
    // A field left empty is not a blank line.
    assertEquals(List.of("[, ]@2", "[x]@3"), shown(Csv.read(write("empty.csv", "a,b\n,\nx\n"))));
  }

  @Test
  void streamingGivesTheSameRecordsAndLines() throws Exception {
    Path f = write("s.csv", "h\n\nv1\n\"v\n2\"\nv3");
    List<String> seen = new ArrayList<>();
    try (Csv.Rows rows = Csv.open(f, Csv.FORMAT)) {
      assertEquals(List.of("h"), rows.header());
      for (CSVRecord r = rows.next(); r != null; r = rows.next()) {
        seen.add(r.get(0).replace("\n", "|") + "@" + rows.line());
      }
      assertNull(rows.next());
    }
    assertEquals(List.of("v1@3", "v|2@4", "v3@6"), seen);
  }

  @Test
  void tabSeparated() throws Exception {
    Path f = write("events.tsv", "onset\tduration\tstim_file\r\n0\t0.5\timagenet/n01/n01_1.JPEG\r\n\r\n"
        + "4\t0.5\t\"a\tb\"\r\n9\tn/a\t\"x,y\"\r\n");
    Csv.Table t = Csv.readTsv(f);
    assertEquals(List.of("onset", "duration", "stim_file"), t.header());
    assertEquals(List.of("[0, 0.5, imagenet/n01/n01_1.JPEG]@2", "[4, 0.5, a\tb]@4", "[9, n/a, x,y]@5"), shown(t));
  }

  @Test
  void headerIsStripped() throws Exception {
    Csv.Table t = Csv.read(write("h.csv", " a ,b\t,c\n1,2,3\n"));
    assertEquals(List.of("a", "b", "c"), t.header());
  }

  @Test
  void errorsNameTheFileAndLine() throws Exception {
    Path unterminated = write("open.csv", "a,b\n1,2\n\n3,\"never\nclosed\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Csv.read(unterminated));
    assertEquals(unterminated + ": line 4: unterminated quoted field (its opening quote is on this line)",
        e.getMessage());

    Path afterQuote = write("after.csv", "a,b\n1,2\n3,\"x\"y\n");
    e = assertThrows(InvalidInputException.class, () -> Csv.read(afterQuote));
    assertEquals(afterQuote + ": line 3: text after a closing quote (expected a delimiter or the line end; a quote"
        + " inside a quoted field is written twice)", e.getMessage());

    Path inHeader = write("header.csv", "a,\"b\n");
    e = assertThrows(InvalidInputException.class, () -> Csv.read(inHeader));
    assertEquals(inHeader + ": line 1: unterminated quoted field (its opening quote is on this line)",
        e.getMessage());

    Path empty = write("empty.csv", "\n\n");
    e = assertThrows(InvalidInputException.class, () -> Csv.read(empty));
    assertEquals(empty + ": empty (expected a header line)", e.getMessage());

    Path missing = tmp.resolve("missing.csv");
    e = assertThrows(InvalidInputException.class, () -> Csv.read(missing));
    assertEquals(missing + ": cannot read as CSV (" + missing + ")", e.getMessage());

    Path latin1 = tmp.resolve("latin1.tsv");
    Files.write(latin1, "a\tb\n1\tcaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    e = assertThrows(InvalidInputException.class, () -> Csv.readTsv(latin1));
    assertEquals(latin1 + ": not UTF-8 text (expected TSV)", e.getMessage());
    // The same when the bad byte comes after many good lines (found while parsing, not when opening).
    Path late = tmp.resolve("late.csv");
    Files.write(late, ("a\n" + "1\n".repeat(20_000) + "caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
    e = assertThrows(InvalidInputException.class, () -> Csv.read(late));
    assertEquals(late + ": not UTF-8 text (expected CSV)", e.getMessage());
  }

  @Test
  void tableErrorsNameTheLine() throws Exception {
    Path f = write("t.csv", "voxel,name\n\n1,a\n\"3\",\"two\nlines\"\nx\n");
    Csv.Table t = Csv.read(f);
    assertEquals(List.of("[1, a]@3", "[3, two\nlines]@4", "[x]@6"), shown(t));
    assertEquals(3, t.getLong(1, 0));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.getLong(2, 0));
    assertEquals(f + ": line 6: expected a whole number in column voxel, got 'x'", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> t.get(2, 1));
    assertEquals(f + ": line 6: 1 fields, no 'name' (expected 2)", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> t.column("id", "key"));
    assertEquals(f + ": no 'id' or 'key' column (found [voxel, name])", e.getMessage());
  }
}
