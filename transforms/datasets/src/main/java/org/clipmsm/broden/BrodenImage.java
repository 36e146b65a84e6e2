package org.clipmsm.broden;

import java.io.Serializable;
import java.util.List;

/**
 * One row of a Broden {@code index.csv}: an image and where its annotations are. Only the non-empty cells of the
 * selected categories are kept, in the set's category order ({@link BrodenSet#categories()}).
 *
 * @param line the line of index.csv the row begins on (1-based, the header is line 1), for messages
 * @param image the image's path under {@code images/}, which is also its key (that of its features)
 * @param split the {@code split} column ({@code train}, {@code val})
 * @param ih image height
 * @param iw image width
 * @param sh segmentation height: every label plane of the image is {@code sh x sw}
 * @param sw segmentation width
 * @param cells the non-empty category cells
 */
public record BrodenImage(long line, String image, String split, int ih, int iw, int sh, int sw, List<Cell> cells)
    implements Serializable {
  public BrodenImage {
    cells = List.copyOf(cells);
  }

  /**
   * A non-empty cell of index.csv: the entries of one category for one image, each the path of a segmentation PNG
   * under {@code images/} or a label number covering the whole image (an entry made of digits only, as in
   * NetDissect-Lite).
   */
  public record Cell(String category, List<String> entries) implements Serializable {
    public Cell {
      entries = List.copyOf(entries);
    }

    /** Whether the entry is a label number rather than a segmentation path. */
    public static boolean isNumber(String entry) {
      if (entry.isEmpty()) {
        return false;
      }
      for (int k = 0; k < entry.length(); k++) {
        char c = entry.charAt(k);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      return true;
    }

    /** Whether every entry is a label number: the cell gives image-level labels, no plane (NetDissect-Lite). */
    public boolean imageLevel() {
      return entries.stream().allMatch(Cell::isNumber);
    }

    /** The segmentation paths among the entries, in order. */
    public List<String> segmentations() {
      return entries.stream().filter(e -> !isNumber(e)).toList();
    }
  }
}
