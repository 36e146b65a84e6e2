package org.clipmsm.nod;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Csv;

/**
 * The stimuli of a NOD run from its BIDS {@code events.tsv}, in trial order: ImageNet runs name the image in
 * {@code stim_file} ({@code imagenet/n03131574/n03131574_8247.JPEG}), COCO runs in {@code condition}
 * ({@code coco/000000124419.jpg}); catch trials (COCO {@code trial_type} 2000 with condition n/a) are left out.
 * Columns are found by name. Read as TSV through {@link Csv#readTsv} (BIDS: a header line, tabs, {@code n/a} for
 * missing values); blank lines are skipped, and so is a row too short to reach the stimulus column.
 */
public final class NodEvents {
  private NodEvents() {}

  /**
   * The stimuli in trial order.
   *
   * @throws InvalidInputException if the file cannot be read as TSV or has neither stimulus column
   */
  public static List<String> stimuli(Path tsv) {
    Csv.Table events = Csv.readTsv(tsv);
    List<String> header = events.header();
    int stim = header.indexOf("stim_file");
    int cond = header.indexOf("condition");
    if (stim < 0 && cond < 0) {
      throw new InvalidInputException(tsv + ": no stim_file or condition column (found " + header + ")");
    }
    List<String> out = new ArrayList<>();
    for (CSVRecord r : events.records()) {
      String value = pick(r, stim);
      if (value == null) {
        value = pick(r, cond);
      }
      if (value != null) {
        out.add(NodLabels.stimulusName(value));
      }
    }
    return out;
  }

  /** The field, or null when missing or n/a (a catch trial). */
  private static String pick(CSVRecord fields, int column) {
    if (column < 0 || column >= fields.size()) {
      return null;
    }
    String v = fields.get(column).strip();
    return v.isEmpty() || v.equalsIgnoreCase("n/a") ? null : v;
  }
}
