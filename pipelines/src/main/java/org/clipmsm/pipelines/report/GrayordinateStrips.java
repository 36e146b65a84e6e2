package org.clipmsm.pipelines.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;

/**
 * CIFTI maps (NOD's {@code .dscalar.nii}) as strips: one row per map, the grayordinates along x in file order (each
 * pixel column the mean of the grayordinates it covers, NaN ignored; grey where all are NaN), coloured by
 * {@link ColorScale} over [0, 1], with the brain structures marked below and a colour bar at the right. A
 * surface has no slices to draw; this shows where along the brain models the values lie.
 */
final class GrayordinateStrips {
  static final int STRIP_WIDTH = 900;
  static final int STRIP_HEIGHT = 46;
  static final int LEFT = 112;
  static final int TITLE = 44;
  static final int AXIS = 64;

  /** The first map of a dense CIFTI file and its brain models. */
  record Map(double[] values, List<CiftiXml.BrainModel> models) {
    static Map read(Path file) {
      Cifti.Dense d = Cifti.read(file);
      int maps = Math.max(1, d.maps());
      int n = d.grayordinates();
      double[] v = new double[n];
      for (int g = 0; g < n; g++) {
        v[g] = d.data()[maps * g];
      }
      return new Map(v, d.xml().brainModels());
    }
  }

  private GrayordinateStrips() {}

  static int width() {
    return LEFT + STRIP_WIDTH + 12 + ColorScale.BAR_AREA + 8;
  }

  static int height(int rows) {
    return TITLE + rows * (STRIP_HEIGHT + 10) + AXIS;
  }

  static BufferedImage render(String title, List<String> rowNames, List<Map> rows) {
    int n = rows.get(0).values().length;
    BufferedImage img = new BufferedImage(width(), height(rows.size()), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Charts.graphics(img);
    g.setColor(Color.BLACK);
    g.setFont(Charts.font(Font.BOLD, 16));
    g.drawString(title, 12, 26);
    for (int r = 0; r < rows.size(); r++) {
      double[] v = rows.get(r).values();
      int y = TITLE + r * (STRIP_HEIGHT + 10);
      g.setColor(Color.BLACK);
      g.setFont(Charts.font(Font.BOLD, 14));
      SliceMontage.drawWrapped(g, rowNames.get(r), 10, y + STRIP_HEIGHT / 2, LEFT - 16);
      for (int x = 0; x < STRIP_WIDTH; x++) {
        int from = (int) ((long) x * v.length / STRIP_WIDTH);
        int to = Math.max(from + 1, (int) ((long) (x + 1) * v.length / STRIP_WIDTH));
        double sum = 0;
        int count = 0;
        for (int i = from; i < Math.min(to, v.length); i++) {
          if (!Double.isNaN(v[i])) {
            sum += v[i];
            count++;
          }
        }
        g.setColor(count == 0 ? ColorScale.NO_VALUE : ColorScale.color(sum / count));
        g.fillRect(LEFT + x, y, 1, STRIP_HEIGHT);
      }
      g.setColor(Color.DARK_GRAY);
      g.drawRect(LEFT, y, STRIP_WIDTH, STRIP_HEIGHT);
    }
    // The brain models along x: a tick at each start and the structure's name.
    int axisY = TITLE + rows.size() * (STRIP_HEIGHT + 10);
    g.setFont(Charts.font(Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    int lastLabelEnd = Integer.MIN_VALUE;
    int row = 0;
    for (CiftiXml.BrainModel m : rows.get(0).models()) {
      int x = LEFT + (int) ((long) m.indexOffset() * STRIP_WIDTH / Math.max(1, n));
      g.drawLine(x, axisY - 6, x, axisY + 4);
      String name = m.brainStructure().replaceFirst("^CIFTI_STRUCTURE_", "").toLowerCase(java.util.Locale.ROOT);
      row = x > lastLabelEnd + 4 ? 0 : (row + 1) % 2;
      g.drawString(name, x + 2, axisY + 14 + row * 13);
      lastLabelEnd = Math.max(lastLabelEnd, x + 2 + fm.stringWidth(name));
    }
    g.setFont(Charts.font(Font.PLAIN, 13));
    String axis = "grayordinate, in file order (" + n + "; " + Math.max(1, (n + STRIP_WIDTH - 1) / STRIP_WIDTH)
        + " per pixel column, mean)";
    g.drawString(axis, LEFT, axisY + 46);
    ColorScale.drawBar(g, LEFT + STRIP_WIDTH + 12, TITLE, axisY - 10, SliceMontage.BAR_WIDTH,
        ColorScale.unitTicks(), "value, scaled to [0, 1]");
    g.dispose();
    return img;
  }
}
