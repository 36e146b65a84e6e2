package org.clipmsm.dissect;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;

/**
 * A label set: any UTF-8 text file with one label per line (the paper's five categories, Broden's ~1,200 labels, a
 * 20,000-word vocabulary). Each line is trimmed of surrounding whitespace, including a Windows CR; blank lines are
 * skipped (so a trailing newline or blank separator lines add no empty label); a leading byte-order mark is
 * ignored. Label i is the i-th non-blank line and names column i of the similarities P. A label listed twice is an
 * error, since its two columns could not be told apart.
 */
public final class LabelSet {
  private LabelSet() {}

  public static List<String> read(Path file) {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file + ": expected UTF-8 text, one label per line", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return parse(text, file.toString());
  }

  /** The labels of {@code text}; {@code source} names it in errors. */
  public static List<String> parse(String text, String source) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> labels = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String label = lines[n].strip();
      if (label.isEmpty()) {
        continue;
      }
      Integer earlier = firstLine.putIfAbsent(label, n + 1);
      if (earlier != null) {
        throw new InvalidInputException(source + ": label '" + label + "' on line " + (n + 1) + " repeats line "
            + earlier + " (expected each label once)");
      }
      labels.add(label);
    }
    if (labels.isEmpty()) {
      throw new InvalidInputException(source + ": no labels (expected one label per line)");
    }
    return labels;
  }
}
