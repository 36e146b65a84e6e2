package org.clipmsm.nod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clipmsm.InvalidInputException;

/**
 * The stimulus of each map of a NOD run's betas, from its {@code _label.txt}. The line format varies between
 * subjects (unconfirmed), so each line is read tolerantly: the stimulus is the last token that names an image file
 * (.JPEG, .jpg, .png; the folder part dropped), else the whole trimmed line. Blank lines are skipped.
 */
public final class NodLabels {
  private static final Pattern IMAGE = Pattern.compile("([^\\s,;'\"/\\\\]+\\.(?i:jpe?g|png))");

  private NodLabels() {}

  public static List<String> read(Path file, int expectedMaps) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read the run's labels (" + e.getMessage() + ")", e);
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      Matcher m = IMAGE.matcher(t);
      String found = null;
      while (m.find()) {
        found = m.group(1);
      }
      out.add(found != null ? found : t);
    }
    if (out.size() != expectedMaps) {
      throw new InvalidInputException(file + ": " + out.size() + " labels, but the betas have " + expectedMaps
          + " maps (expected one label per map)");
    }
    return out;
  }

  /** The stimulus name of an events.tsv path or label ("imagenet/n01/n01_12.JPEG" -> "n01_12.JPEG"). */
  public static String stimulusName(String pathOrName) {
    String s = pathOrName.strip();
    int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    return slash >= 0 ? s.substring(slash + 1) : s;
  }
}
