package org.clipmsm.netdissect;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidParameterException;

/**
 * The fused upsample-threshold-count pass of {@link ConceptTally#addImage} and its scratch buffers, for one chunk of
 * voxels. Each voxel has two derived thresholds: a float one for map values ({@code v > T} exactly when {@code v >
 * hot}) and a double one for the vertical sums ({@code (float) s > T} exactly when {@code s > sum}).
 */
final class MaskKernel {
  private final ConceptTable table;
  private final int m;
  private final int concepts;
  private final int categories;
  private final float[] hot;
  private final double[] sum;
  private final Map<Long, Layout> layouts = new HashMap<>();

  // Per image.
  private int[] hotCount;
  private int[] hotPos = new int[0];
  private final int[] active;
  private final int[] imgMask;
  private final int[] hitStamp;
  private final int[] conceptCount;
  private final boolean[] categoryOn;
  private int[] present = new int[64];
  private int stamp;

  // Cells (compressed rows: the voxels of cell q are cellVox[cellStart[q] .. cellStart[q + 1])).
  private int[] cellStart = new int[1];
  private int[] cellFill = new int[0];
  private int[] cellLast = new int[0];
  private int[] cellVox = new int[64];

  // Per cell.
  private final double[] tc;
  private final double[] hc;
  private double[] src = new double[0];
  private double[] hcol = new double[0];
  private double[] gathered = new double[0];
  private final double[] acc;
  private final int[] bits;
  private final int[] sub;
  private final double[] gt;

  MaskKernel(ConceptTable table, double[] thresholds) {
    this.table = table;
    this.m = thresholds.length;
    this.concepts = table.concepts();
    this.categories = table.categoryCount();
    this.hot = new float[m];
    this.sum = new double[m];
    for (int v = 0; v < m; v++) {
      hot[v] = floatBelow(thresholds[v]);
      sum[v] = sumThreshold(thresholds[v]);
    }
    this.hotCount = new int[m];
    this.active = new int[m];
    this.imgMask = new int[m];
    this.hitStamp = new int[m * categories];
    this.conceptCount = new int[concepts];
    this.categoryOn = new boolean[categories];
    this.tc = new double[m];
    this.hc = new double[m];
    this.acc = new double[m];
    this.bits = new int[m];
    this.sub = new int[m];
    this.gt = new double[m];
  }

  /** The largest float {@code <= t}: for a float v, {@code v > t} exactly when {@code v > floatBelow(t)}. */
  static float floatBelow(double t) {
    float f = (float) t;
    return (double) f > t ? Math.nextDown(f) : f;
  }

  /**
   * The double {@code t'} such that {@code (float) s > t} exactly when {@code s > t'}, for every double s. With
   * {@code f = floatBelow(t)} and {@code u} the next float up (past the largest float, {@code 2^128} where rounding
   * goes to infinity; below the lowest, f is {@code -2^128}), {@code (float) s > t} iff {@code (float) s >= u} iff s
   * is above the midpoint of f and u, or on it when u is the even one of the two (round half to even).
   */
  static double sumThreshold(double t) {
    float f = floatBelow(t);
    // Past the largest float, rounding goes to infinity from 2^128 - 2^103 on (the midpoint to a virtual 2^128).
    double lo = f == Float.NEGATIVE_INFINITY ? -0x1p128 : f;
    double up;
    boolean upEven;
    if (f == Float.MAX_VALUE) {
      up = 0x1p128;
      upEven = true;
    } else {
      float u = Math.nextUp(f);
      up = u;
      upEven = (Float.floatToRawIntBits(u) & 1) == 0;
    }
    double mid = (lo + up) / 2; // exact: floats have 24 significant bits, doubles 53
    return upEven ? Math.nextDown(mid) : mid;
  }

  void addImage(ConceptTally tally, float[] maps, int off, int h, int w, ProbeAnnotation ann) {
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(hitStamp, 0);
      stamp = 1;
    }
    int sh = ann.height();
    int sw = ann.width();
    int pixels = sh * sw;
    List<int[]> planes = ann.planes();

    // The checks come before any count changes, so that a bad annotation leaves the tally as it was.
    int[] imageConcepts = ann.imageConceptsView();
    for (int c : imageConcepts) {
      if (c >= concepts) {
        throw new InvalidParameterException("annotation", "image-level concept " + c + " is not in the concept table"
            + " (numbers 0.." + (concepts - 1) + ")");
      }
    }
    for (int k : ann.categoriesView()) {
      if (k >= categories) {
        throw new InvalidParameterException("annotation", "category " + k + " is not in the concept table (numbers 0.."
            + (categories - 1) + ")");
      }
    }
    // Voxels with a map value above their threshold, and where.
    int positions = h * w;
    if (hotPos.length < m * positions) {
      hotPos = new int[m * positions];
    }
    Arrays.fill(hotCount, 0);
    for (int p = 0; p < positions; p++) {
      int base = off + p * m;
      for (int v = 0; v < m; v++) {
        float x = maps[base + v];
        if (x > hot[v]) {
          if (x == Float.POSITIVE_INFINITY) {
            throw notFinite(x, p, v);
          }
          hotPos[v * positions + hotCount[v]++] = p;
        } else if (!(x > Float.NEGATIVE_INFINITY)) {
          throw notFinite(x, p, v);
        }
      }
    }
    // Concept areas (a histogram of the planes), the checks of the labels, and the categories present.
    int nPresent = 0;
    for (int pl = 0; pl < planes.size(); pl++) {
      int[] plane = planes.get(pl);
      for (int i = 0; i < pixels; i++) {
        int c = plane[i];
        if (c < 0 || c >= concepts) {
          for (int p = 0; p < nPresent; p++) {
            conceptCount[present[p]] = 0;
          }
          throw badLabel(c, pl, i, sw);
        }
        if (conceptCount[c]++ == 0) {
          if (nPresent == present.length) {
            present = Arrays.copyOf(present, 2 * nPresent);
          }
          present[nPresent++] = c;
        }
      }
    }
    Arrays.fill(categoryOn, false);
    boolean[] scalarCategory = new boolean[categories];
    for (int p = 0; p < nPresent; p++) {
      int c = present[p];
      // Label 0 and unscored labels are counted too, and never read.
      tally.countConcept(c, conceptCount[c]);
      conceptCount[c] = 0;
      int k = table.category(c);
      if (k >= 0) {
        categoryOn[k] = true;
      }
    }
    for (int c : imageConcepts) {
      tally.countConcept(c, pixels);
      int k = table.category(c);
      if (k >= 0) {
        categoryOn[k] = true;
        scalarCategory[k] = true;
      }
    }
    for (int k : ann.categoriesView()) {
      categoryOn[k] = true;
    }

    int nActive = 0;
    for (int v = 0; v < m; v++) {
      if (hotCount[v] > 0) {
        active[nActive++] = v;
      }
    }

    if (nActive > 0) {
      Layout lay = layout(h, w, sh, sw);
      buildCells(lay, nActive, positions, w);
      int[][] planeArrays = planes.toArray(new int[0][]);
      for (int rg = 0; rg < lay.rows.groups; rg++) {
        for (int cg = 0; cg < lay.cols.groups; cg++) {
          int q = rg * lay.cols.groups + cg;
          int from = cellStart[q];
          int mc = cellStart[q + 1] - from;
          if (mc > 0) {
            cell(tally, lay, rg, cg, from, mc, maps, off, w, planeArrays);
          }
        }
      }
    }

    // Per voxel: its mask pixels in this image go to the categories that count, and to the image-level concepts.
    boolean matched = tally.rule() == NetDissection.UnitArea.MATCHED_IMAGES;
    for (int a = 0; a < nActive; a++) {
      int v = active[a];
      int n = imgMask[v];
      if (n == 0) {
        continue;
      }
      imgMask[v] = 0;
      tally.countMask(v, n);
      for (int k = 0; k < categories; k++) {
        boolean counts = matched ? scalarCategory[k] || hitStamp[v * categories + k] == stamp : categoryOn[k];
        if (counts) {
          tally.countUnitArea(v, k, n);
        }
      }
      for (int c : imageConcepts) {
        if (table.category(c) >= 0) {
          tally.countIntersection(v, c, n);
        }
      }
    }
  }

  private InvalidParameterException badLabel(int c, int plane, int i, int sw) {
    return new InvalidParameterException("annotation", "label " + c + " at pixel (" + i / sw + ", " + i % sw
        + ") of plane " + plane + " is not in the concept table (numbers 0.." + (concepts - 1) + ")");
  }

  private static InvalidParameterException notFinite(float x, int p, int v) {
    return new InvalidParameterException("maps", "expected finite map values, got " + x + " at position " + p
        + " for voxel " + v);
  }

  /** The cells' voxel lists: voxel v is in every cell whose support holds one of its hot positions, once. */
  private void buildCells(Layout lay, int nActive, int positions, int w) {
    int cells = lay.rows.groups * lay.cols.groups;
    if (cellFill.length < cells) {
      cellStart = new int[cells + 1];
      cellFill = new int[cells];
      cellLast = new int[cells];
    }
    Arrays.fill(cellFill, 0, cells, 0);
    Arrays.fill(cellLast, 0, cells, -1);
    for (int pass = 0; pass < 2; pass++) {
      for (int a = 0; a < nActive; a++) {
        int v = active[a];
        int hp = v * positions;
        for (int k = 0; k < hotCount[v]; k++) {
          int p = hotPos[hp + k];
          int[] rgs = lay.rows.groupsOf[p / w];
          int[] cgs = lay.cols.groupsOf[p % w];
          for (int rg : rgs) {
            int rowBase = rg * lay.cols.groups;
            for (int cg : cgs) {
              int q = rowBase + cg;
              if (cellLast[q] != v) {
                cellLast[q] = v;
                if (pass == 0) {
                  cellFill[q]++;
                } else {
                  cellVox[cellFill[q]++] = v;
                }
              }
            }
          }
        }
      }
      if (pass == 0) {
        int total = 0;
        for (int q = 0; q < cells; q++) {
          cellStart[q] = total;
          total += cellFill[q];
          cellFill[q] = cellStart[q];
          cellLast[q] = -1;
        }
        cellStart[cells] = total;
        if (cellVox.length < total) {
          cellVox = new int[Math.max(total, 2 * cellVox.length)];
        }
      }
    }
  }

  /**
   * One cell: the voxels cellVox[from .. from + mc), the output pixels of row group rg and column group cg. Column by
   * column: Pillow's horizontal pass for the support rows (summed from 0.0 in tap order, stored as float), then only
   * the voxels whose horizontal values in this column exceed their threshold (a pixel's value is a convex
   * combination of them), gathered, then the column's pixels: the vertical sum, the test, and the counts of the
   * pixels that are on.
   */
  private void cell(ConceptTally tally, Layout lay, int rg, int cg, int from, int mc, float[] maps, int off, int w,
      int[][] planeArrays) {
    Pass rows = lay.rows;
    Pass cols = lay.cols;
    int ty = rows.taps[rg];
    int fy = rows.first[rg];
    int tx = cols.taps[cg];
    int fx = cols.first[cg];
    int x0 = cols.start[cg];
    int x1 = cols.start[cg + 1];
    int y0 = rows.start[rg];
    int y1 = rows.start[rg + 1];
    int sw = cols.out;
    int[] vox = cellVox;

    for (int t = 0; t < mc; t++) {
      int v = vox[from + t];
      tc[t] = sum[v];
      hc[t] = hot[v];
    }
    // The support's map values, voxel innermost.
    int need = ty * tx * mc;
    if (src.length < need) {
      src = new double[Math.max(need, 2 * src.length)];
    }
    for (int ry = 0; ry < ty; ry++) {
      for (int cx = 0; cx < tx; cx++) {
        int base = off + ((fy + ry) * w + fx + cx) * m;
        int o = (ry * tx + cx) * mc;
        for (int t = 0; t < mc; t++) {
          src[o + t] = maps[base + vox[from + t]];
        }
      }
    }
    need = ty * mc;
    if (hcol.length < need) {
      hcol = new double[Math.max(need, 2 * hcol.length)];
      gathered = new double[hcol.length];
    }
    double[] wx = cols.weights;
    double[] wy = rows.weights;
    long[] inter = tally.intersectionCounts();
    long tests = 0;
    for (int x = x0; x < x1; x++) {
      int kx = x * cols.stride;
      for (int ry = 0; ry < ty; ry++) {
        Arrays.fill(acc, 0, mc, 0.0);
        for (int cx = 0; cx < tx; cx++) {
          double k = wx[kx + cx];
          int o = (ry * tx + cx) * mc;
          for (int t = 0; t < mc; t++) {
            acc[t] += src[o + t] * k;
          }
        }
        int o = ry * mc;
        for (int t = 0; t < mc; t++) {
          hcol[o + t] = (float) acc[t];
        }
      }
      int ns = 0;
      for (int t = 0; t < mc; t++) {
        double mx = hcol[t];
        for (int ry = 1; ry < ty; ry++) {
          mx = Math.max(mx, hcol[ry * mc + t]);
        }
        if (mx > hc[t]) {
          sub[ns++] = t;
        }
      }
      if (ns == 0) {
        continue;
      }
      for (int j = 0; j < ns; j++) {
        int t = sub[j];
        gt[j] = tc[t];
        for (int ry = 0; ry < ty; ry++) {
          gathered[ry * ns + j] = hcol[ry * mc + t];
        }
      }
      tests += (long) ns * (y1 - y0);
      for (int y = y0; y < y1; y++) {
        int ky = y * rows.stride;
        int any = 0;
        if (ty == 2) {
          double k0 = wy[ky];
          double k1 = wy[ky + 1];
          for (int j = 0; j < ns; j++) {
            // Pillow: 0.0 + h0 k0 + h1 k1; the 0.0 can only change the sign of a zero, which no threshold tells apart.
            double s = gathered[j] * k0 + gathered[ns + j] * k1;
            int b = s > gt[j] ? 1 : 0;
            bits[j] = b;
            any |= b;
          }
        } else {
          Arrays.fill(acc, 0, ns, 0.0);
          for (int ry = 0; ry < ty; ry++) {
            double k = wy[ky + ry];
            int a = ry * ns;
            for (int j = 0; j < ns; j++) {
              acc[j] += gathered[a + j] * k;
            }
          }
          for (int j = 0; j < ns; j++) {
            int b = acc[j] > gt[j] ? 1 : 0;
            bits[j] = b;
            any |= b;
          }
        }
        if (any == 0) {
          continue;
        }
        int i = y * sw + x;
        for (int j = 0; j < ns; j++) {
          if (bits[j] != 0) {
            int v = vox[from + sub[j]];
            imgMask[v]++;
            for (int[] plane : planeArrays) {
              int c = plane[i];
              int k = c == 0 ? -1 : table.category(c);
              if (k >= 0) {
                inter[v * concepts + c]++;
                hitStamp[v * categories + k] = stamp;
              }
            }
          }
        }
      }
    }
    tally.countTests(tests);
  }

  private Layout layout(int h, int w, int sh, int sw) {
    long key = (((long) h * 65536 + w) * 65536 + sh) * 65536 + sw;
    return layouts.computeIfAbsent(key, k -> new Layout(new Pass(h, sh), new Pass(w, sw)));
  }

  /** The cells of one geometry: row groups x column groups. */
  private record Layout(Pass rows, Pass cols) {}

  /**
   * One direction of the resize, its output pixels grouped into runs that read the same input pixels: group g covers
   * outputs {@code start[g] .. start[g + 1] - 1} and reads inputs {@code first[g] .. first[g] + taps[g] - 1};
   * {@code groupsOf[i]} lists the groups that read input i.
   */
  private static final class Pass {
    final int out;
    final int groups;
    final int[] start;
    final int[] first;
    final int[] taps;
    final int[][] groupsOf;
    final int stride;
    final double[] weights;

    Pass(int in, int out) {
      PilFloatResize.Coefficients c = PilFloatResize.Coefficients.bilinear(in, out);
      this.out = out;
      int[] st = new int[out + 1];
      int[] fi = new int[out];
      int[] ta = new int[out];
      int g = 0;
      for (int o = 0; o < out; o++) {
        if (g == 0 || c.first(o) != fi[g - 1] || c.count(o) != ta[g - 1]) {
          st[g] = o;
          fi[g] = c.first(o);
          ta[g] = c.count(o);
          g++;
        }
      }
      st[g] = out;
      this.groups = g;
      this.start = Arrays.copyOf(st, g + 1);
      this.first = Arrays.copyOf(fi, g);
      this.taps = Arrays.copyOf(ta, g);
      int[] n = new int[in];
      for (int q = 0; q < g; q++) {
        for (int i = first[q]; i < first[q] + taps[q]; i++) {
          n[i]++;
        }
      }
      this.groupsOf = new int[in][];
      for (int i = 0; i < in; i++) {
        groupsOf[i] = new int[n[i]];
        n[i] = 0;
      }
      for (int q = 0; q < g; q++) {
        for (int i = first[q]; i < first[q] + taps[q]; i++) {
          groupsOf[i][n[i]++] = q;
        }
      }
      int maxTaps = 1;
      for (int o = 0; o < out; o++) {
        maxTaps = Math.max(maxTaps, c.count(o));
      }
      this.stride = maxTaps;
      this.weights = new double[out * maxTaps];
      for (int o = 0; o < out; o++) {
        for (int t = 0; t < c.count(o); t++) {
          weights[o * maxTaps + t] = c.weight(o, t);
        }
      }
    }
  }
}
