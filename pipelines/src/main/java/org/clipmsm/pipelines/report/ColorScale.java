package org.clipmsm.pipelines.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.util.List;

/**
 * The report's colour scale, viridis (perceptually uniform, readable in grey and by colour-blind readers), from its
 * nine anchors at 0, 1/8, ..., 1 with linear interpolation between them, and the colour bar that explains it.
 */
final class ColorScale {
  /** matplotlib's viridis at 0, 0.125, ..., 1. */
  private static final int[] ANCHORS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779,
      0x6ece58, 0xfde725};
  /** A voxel inside the brain (or of the map's grid) that has no value: NaN. */
  static final Color NO_VALUE = new Color(0xb4, 0xb4, 0xb4);
  /** Outside the brain mask. */
  static final Color OUTSIDE = new Color(0xee, 0xee, 0xee);

  private ColorScale() {}

  /** The colour of {@code t} in [0, 1] (clamped); NaN is {@link #NO_VALUE}. */
  static Color color(double t) {
    return new Color(rgb(t));
  }

  /** As {@link #color}, packed 0xRRGGBB. */
  static int rgb(double t) {
    if (Double.isNaN(t)) {
      return NO_VALUE.getRGB() & 0xffffff;
    }
    double x = Math.max(0, Math.min(1, t)) * (ANCHORS.length - 1);
    int i = Math.min((int) Math.floor(x), ANCHORS.length - 2);
    double f = x - i;
    int a = ANCHORS[i];
    int b = ANCHORS[i + 1];
    int r = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
    int g = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
    int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    return (r << 16) | (g << 8) | bl;
  }

  /** A tick of a colour bar: its position in [0, 1] along the bar and its label. */
  record Tick(double at, String label) {}

  /** Width that {@link #drawBar} needs right of {@code x} for a bar, its tick labels and its rotated title. */
  static final int BAR_AREA = 96;

  /**
   * A vertical colour bar with its lowest value at the bottom: a gradient {@code width} pixels wide from
   * {@code (x, top)} down to {@code bottom}, ticks with labels to its right, and the title rotated beside them.
   */
  static void drawBar(Graphics2D g, int x, int top, int bottom, int width, List<Tick> ticks, String title) {
    int h = bottom - top;
    for (int y = 0; y < h; y++) {
      g.setColor(color(1.0 - (y + 0.5) / h));
      g.fillRect(x, top + y, width, 1);
    }
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, top, width, h);
    g.setFont(Charts.font(Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    int labelWidth = 0;
    for (Tick t : ticks) {
      int y = (int) Math.round(bottom - t.at() * h);
      g.drawLine(x + width, y, x + width + 4, y);
      g.drawString(t.label(), x + width + 7, y + fm.getAscent() / 2 - 1);
      labelWidth = Math.max(labelWidth, fm.stringWidth(t.label()));
    }
    g.setFont(Charts.font(Font.PLAIN, 13));
    fm = g.getFontMetrics();
    AffineTransform saved = g.getTransform();
    int tx = x + width + 7 + labelWidth + 6 + fm.getAscent();
    int ty = top + h / 2 + fm.stringWidth(title) / 2;
    g.translate(tx, ty);
    g.rotate(-Math.PI / 2);
    g.drawString(title, 0, 0);
    g.setTransform(saved);
  }

  /** Ticks 0, 0.25, ..., 1 for a bar over [0, 1]. */
  static List<Tick> unitTicks() {
    return List.of(new Tick(0, "0"), new Tick(0.25, "0.25"), new Tick(0.5, "0.5"), new Tick(0.75, "0.75"),
        new Tick(1, "1"));
  }
}
