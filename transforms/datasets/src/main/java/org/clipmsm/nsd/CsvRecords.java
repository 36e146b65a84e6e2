package org.clipmsm.nsd;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.clipmsm.InvalidInputException;

/**
 * Splits comma-separated text into records (RFC 4180 as pandas writes it): fields may be quoted with {@code "},
 * a quoted field may contain commas, line breaks and doubled quotes ({@code ""}); records end with LF or CRLF.
 * A leading byte-order mark is skipped. Not thread-safe.
 */
final class CsvRecords {
  private static final int BOM = '\uFEFF';

  private final Reader in;
  private final String source;
  private int pushedBack = -2;
  private long line = 1;
  private long recordLine;
  private boolean first = true;

  /** @param source the file name, for messages */
  CsvRecords(Reader in, String source) {
    this.in = in;
    this.source = source;
  }

  /** The line on which the record last returned by {@link #next} began (1-based). */
  long recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at the end of the input. A blank line is a record with one empty field. */
  List<String> next() throws IOException {
    int c = read();
    if (first) {
      first = false;
      if (c == BOM) {
        c = read();
      }
    }
    if (c == -1) {
      return null;
    }
    recordLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new InvalidInputException(source + " line " + recordLine + ": unterminated quoted field");
        }
        if (c == '"') {
          int d = read();
          if (d == '"') {
            field.append('"');
          } else {
            quoted = false;
            c = d;
            continue;
          }
        } else {
          field.append((char) c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == -1) {
        break;
      } else if (c == '\r') {
        int d = read();
        if (d != '\n') {
          unread(d);
        }
        break;
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else {
        if (wasQuoted) {
          throw new InvalidInputException(source + " line " + recordLine + ": text after a closing quote in field "
              + (fields.size() + 1));
        }
        field.append((char) c);
      }
      c = read();
    }
    fields.add(field.toString());
    return fields;
  }

  private int read() throws IOException {
    int c;
    if (pushedBack != -2) {
      c = pushedBack;
      pushedBack = -2;
    } else {
      c = in.read();
    }
    if (c == '\n') {
      line++;
    }
    return c;
  }

  private void unread(int c) {
    if (c == '\n') {
      line--;
    }
    pushedBack = c;
  }
}
