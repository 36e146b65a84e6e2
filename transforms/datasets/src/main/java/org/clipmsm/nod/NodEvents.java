package org.clipmsm.nod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidInputException;

/**
 * The stimuli of a NOD run from its BIDS {@code events.tsv}, in trial order: ImageNet runs name the image in
 * {@code stim_file} ({@code imagenet/n03131574/n03131574_8247.JPEG}), COCO runs in {@code condition}
 * ({@code coco/000000124419.jpg}); catch trials (COCO {@code trial_type} 2000 with condition n/a) are left out.
 * Columns are found by name.
 */
public final class NodEvents {
  private NodEvents() {}

  public static List<String> stimuli(Path tsv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(tsv);
    } catch (IOException e) {
      throw new InvalidInputException(tsv + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (lines.isEmpty()) {
      throw new InvalidInputException(tsv + ": empty (expected a BIDS events header)");
    }
    List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
    int stim = header.indexOf("stim_file");
    int cond = header.indexOf("condition");
    if (stim < 0 && cond < 0) {
      throw new InvalidInputException(tsv + ": no stim_file or condition column (found " + header + ")");
    }
    List<String> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] f = lines.get(i).split("\t", -1);
      String value = pick(f, stim);
      if (value == null) {
        value = pick(f, cond);
      }
      if (value != null) {
        out.add(NodLabels.stimulusName(value));
      }
    }
    return out;
  }

  /** The field, or null when missing or n/a (a catch trial). */
  private static String pick(String[] fields, int column) {
    if (column < 0 || column >= fields.length) {
      return null;
    }
    String v = fields[column].strip();
    return v.isEmpty() || v.equalsIgnoreCase("n/a") ? null : v;
  }
}
