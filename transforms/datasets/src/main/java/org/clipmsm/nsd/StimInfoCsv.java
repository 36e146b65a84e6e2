package org.clipmsm.nsd;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import org.apache.commons.csv.CSVRecord;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Csv;

/**
 * Reads the trial -> image table of one subject from nsd_stim_info_merged.csv: the row of image {@code nsdId}
 * lists in {@code subjectN_rep0..2} the 1-based trial numbers (1..30000) at which subject N saw it, 0 for never.
 * Columns are found by header name; rows are keyed on {@code nsdId}, so any subset of the 73,000 rows in any
 * order will do as long as every trial of the requested sessions is listed exactly once.
 */
final class StimInfoCsv {
  static final String NSD_ID = "nsdId";
  static final int REPS = 3;

  private StimInfoCsv() {}

  static int[] trialNsdIds(Path file, int subject, int sessions) {
    int[] out = new int[sessions * NsdDesign.TRIALS_PER_SESSION];
    Arrays.fill(out, -1);
    read(file, columns -> {
      int idCol = column(file, columns, NSD_ID);
      int[] repCols = new int[REPS];
      String[] repNames = new String[REPS];
      for (int r = 0; r < REPS; r++) {
        repNames[r] = "subject" + subject + "_rep" + r;
        repCols[r] = column(file, columns, repNames[r]);
      }
      return (rec, line) -> {
        int nsdId = integer(file, line, NSD_ID, rec.get(idCol), 0, NsdDesign.TOTAL_IMAGES - 1);
        for (int r = 0; r < REPS; r++) {
          int trial1 = integer(file, line, repNames[r], rec.get(repCols[r]), 0, NsdDesign.TOTAL_TRIALS);
          // 0 = not shown; trials beyond the requested sessions do not count.
          if (trial1 == 0 || trial1 > out.length) {
            continue;
          }
          if (out[trial1 - 1] >= 0) {
            throw new InvalidInputException(file + " line " + line + ": " + repNames[r] + ": trial " + trial1
                + " is already listed for nsdId " + out[trial1 - 1] + " (expected each trial once)");
          }
          out[trial1 - 1] = nsdId;
        }
      };
    });
    for (int t = 0; t < out.length; t++) {
      if (out[t] < 0) {
        throw new InvalidInputException(file + ": trial " + (t + 1) + " of subject " + subject + " is in no subject"
            + subject + "_rep column (expected every trial of sessions 1.." + sessions + " once; rows missing?)");
      }
    }
    return out;
  }

  /** The {@code cocoId} of every row's {@code nsdId} (the COCO image each NSD image was cropped from). */
  static Map<Integer, Long> cocoIds(Path file) {
    Map<Integer, Long> out = new HashMap<>();
    read(file, columns -> {
      int idCol = column(file, columns, NSD_ID);
      int cocoCol = column(file, columns, "cocoId");
      return (rec, line) -> out.put(integer(file, line, NSD_ID, rec.get(idCol), 0, NsdDesign.TOTAL_IMAGES - 1),
          (long) integer(file, line, "cocoId", rec.get(cocoCol), 0, Integer.MAX_VALUE));
    });
    return out;
  }

  /** What to do with each record (and the line it began on), planned once the header's columns are known. */
  private interface RowPlan {
    ObjLongConsumer<CSVRecord> plan(Map<String, Integer> columns);
  }

  /**
   * Reads the header, then every record, each checked to have the header's field count; blank lines are skipped.
   * Records are streamed through {@link Csv#open}, not held: the real file has 73,000 rows of 41 fields.
   */
  private static void read(Path file, RowPlan plan) {
    try (Csv.Rows csv = Csv.open(file, Csv.FORMAT)) {
      List<String> header = csv.header();
      Map<String, Integer> columns = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        columns.putIfAbsent(header.get(i), i);
      }
      ObjLongConsumer<CSVRecord> row = plan.plan(columns);
      for (CSVRecord rec = csv.next(); rec != null; rec = csv.next()) {
        long line = csv.line();
        if (rec.size() != header.size()) {
          throw new InvalidInputException(file + " line " + line + ": expected " + header.size()
              + " fields like the header, found " + rec.size());
        }
        row.accept(rec, line);
      }
    }
  }

  private static int column(Path file, Map<String, Integer> columns, String name) {
    Integer i = columns.get(name);
    if (i == null) {
      throw new InvalidInputException(file + ": missing column '" + name
          + "' (expected the header of nsd_stim_info_merged.csv)");
    }
    return i;
  }

  /** Parses a whole number, also written as a float ("12.0", as pandas may write integer columns). */
  private static int integer(Path file, long line, String column, String text, int min, int max) {
    String s = text.strip();
    double v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e2) {
        v = Double.NaN;
      }
    }
    if (!(v >= min && v <= max && v == Math.rint(v))) {
      throw new InvalidInputException(file + " line " + line + ": " + column + ": expected a whole number "
          + min + ".." + max + ", found '" + text + "'");
    }
    return (int) v;
  }
}
