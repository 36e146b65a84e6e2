package org.clipmsm.pipelines.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.NiftiHeader;

/**
 * Axial slices of NIfTI volumes as one image: a row per volume (e.g. a label's CLIP-MSM map above its fLoc ground
 * truth), the same slices in every row, those through the voxels that have values (evenly spaced among them when
 * there are more than asked), cropped to the voxels with values (and the brain mask, when one is given). A voxel is
 * a block of pixels coloured by {@link ColorScale} over [0, 1]; NaN is grey, outside the mask a lighter grey. Voxel
 * axes: i to the right, j up, one slice per k; a colour bar at the right.
 */
final class SliceMontage {
  static final int TITLE = 44;
  static final int LEFT = 112;
  static final int SLICE_LABEL = 20;
  static final int GAP = 8;
  static final int FOOT = 34;
  static final int BAR_WIDTH = 18;
  /** Pixels a slice should span along its longer side. */
  static final int CELL = 128;

  /** The first 3-D volume of a NIfTI file: its grid, voxel sizes and values (column-major, i fastest). */
  record Volume(int nx, int ny, int nz, double dx, double dy, double[] data) {
    double at(int i, int j, int k) {
      return data[i + nx * (j + ny * k)];
    }

    boolean sameGrid(Volume o) {
      return nx == o.nx && ny == o.ny && nz == o.nz;
    }

    static Volume read(Path file) {
      NiftiHeader h = Nifti.readHeader(file);
      long[] dims = h.dims();
      int nx = (int) dims[0];
      int ny = dims.length > 1 ? (int) dims[1] : 1;
      int nz = dims.length > 2 ? (int) dims[2] : 1;
      long spatial = (long) nx * ny * nz;
      double[] all = Nifti.readData(file);
      if (all.length < spatial) {
        throw new InvalidInputException(file + ": " + all.length + " values for a grid of " + spatial);
      }
      double[] data = all.length == spatial ? all : java.util.Arrays.copyOf(all, (int) spatial);
      double[] pix = h.pixdim();
      double dx = pix.length > 1 && pix[1] > 0 ? pix[1] : 1;
      double dy = pix.length > 2 && pix[2] > 0 ? pix[2] : 1;
      return new Volume(nx, ny, nz, dx, dy, data);
    }
  }

  /**
   * Where everything lies in the image: the slices shown (k), the crop [i0, i1] x [j0, j1], the pixels per voxel,
   * and the image's size.
   */
  record Layout(int[] slices, int i0, int i1, int j0, int j1, int px, int py, int rows, int width, int height) {
    int cellWidth() {
      return (i1 - i0 + 1) * px;
    }

    int cellHeight() {
      return (j1 - j0 + 1) * py;
    }

    /** Left edge of slice column {@code c}. */
    int cellX(int c) {
      return LEFT + c * (cellWidth() + GAP);
    }

    /** Top edge of row {@code r}. */
    int cellY(int r) {
      return TITLE + r * (cellHeight() + SLICE_LABEL + GAP);
    }

    /** The pixel at the centre of voxel (i, j, k) in row {@code r}, or null if that slice or voxel is not shown. */
    Point pixel(int r, int i, int j, int k) {
      int c = -1;
      for (int s = 0; s < slices.length; s++) {
        if (slices[s] == k) {
          c = s;
        }
      }
      if (c < 0 || i < i0 || i > i1 || j < j0 || j > j1 || r < 0 || r >= rows) {
        return null;
      }
      return new Point(cellX(c) + (i - i0) * px + px / 2, cellY(r) + (j1 - j) * py + py / 2);
    }
  }

  /** The image and where its voxels are. */
  record Rendered(BufferedImage image, Layout layout) {}

  private SliceMontage() {}

  /**
   * @param rows the volumes, on one grid
   * @param mask the brain mask on the same grid (non-zero inside), or null
   */
  static Rendered render(String title, List<String> rowNames, List<Volume> rows, Volume mask, int maxSlices) {
    Volume first = rows.get(0);
    for (Volume v : rows) {
      if (!v.sameGrid(first)) {
        throw new IllegalArgumentException("volumes on different grids");
      }
    }
    if (mask != null && !mask.sameGrid(first)) {
      mask = null;
    }
    Layout layout = layout(rows, mask, maxSlices);
    BufferedImage img = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Charts.graphics(img);
    g.setColor(Color.BLACK);
    g.setFont(Charts.font(Font.BOLD, 16));
    g.drawString(title, 12, 26);
    for (int r = 0; r < rows.size(); r++) {
      Volume v = rows.get(r);
      int y0 = layout.cellY(r);
      g.setColor(Color.BLACK);
      g.setFont(Charts.font(Font.BOLD, 14));
      drawWrapped(g, rowNames.get(r), 10, y0 + layout.cellHeight() / 2, LEFT - 16);
      for (int c = 0; c < layout.slices().length; c++) {
        int k = layout.slices()[c];
        int x0 = layout.cellX(c);
        for (int j = layout.j0(); j <= layout.j1(); j++) {
          for (int i = layout.i0(); i <= layout.i1(); i++) {
            double value = v.at(i, j, k);
            Color color;
            if (!Double.isNaN(value)) {
              color = ColorScale.color(value);
            } else if (mask == null || inside(mask, i, j, k)) {
              color = ColorScale.NO_VALUE;
            } else {
              color = ColorScale.OUTSIDE;
            }
            g.setColor(color);
            g.fillRect(x0 + (i - layout.i0()) * layout.px(), y0 + (layout.j1() - j) * layout.py(), layout.px(),
                layout.py());
          }
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(Charts.font(Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        String label = "k = " + k;
        g.drawString(label, x0 + (layout.cellWidth() - fm.stringWidth(label)) / 2,
            y0 + layout.cellHeight() + fm.getAscent() + 2);
      }
    }
    int barX = layout.cellX(layout.slices().length) + 4;
    int barBottom = layout.cellY(rows.size() - 1) + layout.cellHeight();
    ColorScale.drawBar(g, barX, TITLE, barBottom, BAR_WIDTH, ColorScale.unitTicks(), "value, scaled to [0, 1]");
    g.setColor(Color.DARK_GRAY);
    g.setFont(Charts.font(Font.PLAIN, 12));
    String foot = "Axial slices k (voxel axes: i to the right, j up), " + layout.px() + " px per voxel. Grey: no value"
        + (mask == null ? " (NaN)." : " (NaN) inside the brain mask; light grey: outside it.");
    g.drawString(foot, 12, layout.height() - 12);
    g.dispose();
    return new Rendered(img, layout);
  }

  static Layout layout(List<Volume> rows, Volume mask, int maxSlices) {
    Volume v0 = rows.get(0);
    int nx = v0.nx();
    int ny = v0.ny();
    int nz = v0.nz();
    boolean[] hasValue = new boolean[nz];
    int i0 = nx;
    int i1 = -1;
    int j0 = ny;
    int j1 = -1;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          boolean value = false;
          for (Volume v : rows) {
            value |= !Double.isNaN(v.at(i, j, k));
          }
          if (value) {
            hasValue[k] = true;
          }
          if (value || (mask != null && inside(mask, i, j, k))) {
            i0 = Math.min(i0, i);
            i1 = Math.max(i1, i);
            j0 = Math.min(j0, j);
            j1 = Math.max(j1, j);
          }
        }
      }
    }
    if (i1 < 0) {
      i0 = 0;
      i1 = nx - 1;
      j0 = 0;
      j1 = ny - 1;
    } else {
      i0 = Math.max(0, i0 - 1);
      i1 = Math.min(nx - 1, i1 + 1);
      j0 = Math.max(0, j0 - 1);
      j1 = Math.min(ny - 1, j1 + 1);
    }
    List<Integer> candidates = new ArrayList<>();
    for (int k = 0; k < nz; k++) {
      if (hasValue[k]) {
        candidates.add(k);
      }
    }
    if (candidates.isEmpty()) {
      candidates.add(nz / 2);
    }
    int n = Math.min(maxSlices, candidates.size());
    int[] slices = new int[n];
    for (int s = 0; s < n; s++) {
      int at = n == 1 ? candidates.size() / 2 : (int) Math.round(s * (candidates.size() - 1) / (double) (n - 1));
      slices[s] = candidates.get(at);
    }
    double dmin = Math.min(v0.dx(), v0.dy());
    double ax = v0.dx() / dmin;
    double ay = v0.dy() / dmin;
    double span = Math.max((i1 - i0 + 1) * ax, (j1 - j0 + 1) * ay);
    int scale = (int) Math.max(1, Math.min(16, Math.floor(CELL / span)));
    int px = (int) Math.max(1, Math.round(scale * ax));
    int py = (int) Math.max(1, Math.round(scale * ay));
    int cellW = (i1 - i0 + 1) * px;
    int cellH = (j1 - j0 + 1) * py;
    int width = LEFT + n * (cellW + GAP) + 4 + ColorScale.BAR_AREA + 8;
    int height = TITLE + rows.size() * (cellH + SLICE_LABEL + GAP) + FOOT;
    // Room for the title and the footnote.
    width = Math.max(width, 720);
    height = Math.max(height, TITLE + 160 + FOOT);
    return new Layout(slices, i0, i1, j0, j1, px, py, rows.size(), width, height);
  }

  private static boolean inside(Volume mask, int i, int j, int k) {
    double m = mask.at(i, j, k);
    return !Double.isNaN(m) && m != 0;
  }

  /** Draws words in lines no wider than {@code width}, centred vertically on {@code centerY}. */
  static void drawWrapped(Graphics2D g, String text, int x, int centerY, int width) {
    FontMetrics fm = g.getFontMetrics();
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String next = line.length() == 0 ? word : line + " " + word;
      if (fm.stringWidth(next) > width && line.length() > 0) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(next);
      }
    }
    lines.add(line.toString());
    int h = fm.getHeight();
    int y = centerY - h * lines.size() / 2 + fm.getAscent();
    for (String l : lines) {
      g.drawString(l, x, y);
      y += h;
    }
  }
}
