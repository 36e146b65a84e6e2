package org.clipmsm.netdissect;

import java.util.Arrays;
import java.util.List;

/**
 * Network Dissection counted the plain way, one voxel and one image at a time, as NetDissect-Lite's tally_job reads:
 * threshold = NumPy's linear quantile of a sorted copy; mask = the whole map resized by {@link PilFloatResize} (itself
 * checked against Pillow), compared as a float with the double threshold; every pixel tested; counts per plane. Used
 * as the reference of the fused kernel (and by the beam tests).
 */
public final class BruteForceNetDissect {
  public final int voxels;
  public final int concepts;
  public final int categories;
  public final long[][] intersection;
  public final long[][] unitArea;
  public final long[] maskPixels;
  public final long[] conceptArea;

  private BruteForceNetDissect(int voxels, ConceptTable table) {
    this.voxels = voxels;
    this.concepts = table.concepts();
    this.categories = table.categoryCount();
    intersection = new long[voxels][concepts];
    unitArea = new long[voxels][categories];
    maskPixels = new long[voxels];
    conceptArea = new long[concepts];
  }

  /** {@code numpy.quantile(values, level)} from a full sort. */
  public static double quantile(float[] values, double level) {
    float[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    double v = (n - 1) * level;
    if (v >= n - 1) {
      return s[n - 1];
    }
    int i = (int) Math.floor(v);
    double g = v - i;
    double a = s[i];
    double b = s[i + 1];
    double diff = b - a;
    return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
  }

  /** Each voxel's threshold from maps laid out {@code (rows, voxels)}. */
  public static double[] thresholds(float[] maps, int voxels, double quantile) {
    int rows = maps.length / voxels;
    double[] t = new double[voxels];
    for (int v = 0; v < voxels; v++) {
      float[] col = new float[rows];
      for (int r = 0; r < rows; r++) {
        col[r] = maps[r * voxels + v];
      }
      t[v] = quantile(col, 1.0 - quantile);
    }
    return t;
  }

  /** Counts for maps {@code (images, h, w, voxels)} and one annotation per image. */
  public static BruteForceNetDissect count(float[] maps, int h, int w, double[] thresholds,
      List<ProbeAnnotation> annotations, ConceptTable table, NetDissection.UnitArea rule) {
    int voxels = thresholds.length;
    BruteForceNetDissect out = new BruteForceNetDissect(voxels, table);
    int positions = h * w;
    for (int i = 0; i < annotations.size(); i++) {
      ProbeAnnotation a = annotations.get(i);
      int sh = a.height();
      int sw = a.width();
      List<int[]> planes = a.planes();
      for (int[] plane : planes) {
        for (int c : plane) {
          out.conceptArea[c]++;
        }
      }
      boolean[] annotated = new boolean[table.categoryCount()];
      boolean[] scalarCat = new boolean[table.categoryCount()];
      for (int k : a.categories()) {
        annotated[k] = true;
      }
      for (int[] plane : planes) {
        for (int c : plane) {
          if (c != 0 && table.category(c) >= 0) {
            annotated[table.category(c)] = true;
          }
        }
      }
      for (int c : a.imageConcepts()) {
        out.conceptArea[c] += (long) sh * sw;
        if (table.category(c) >= 0) {
          annotated[table.category(c)] = true;
          scalarCat[table.category(c)] = true;
        }
      }
      for (int v = 0; v < voxels; v++) {
        float[] map = new float[positions];
        for (int p = 0; p < positions; p++) {
          map[p] = maps[(i * positions + p) * voxels + v];
        }
        float[] up = PilFloatResize.resize(map, w, h, sw, sh);
        long n = 0;
        boolean[] hit = new boolean[table.categoryCount()];
        for (int px = 0; px < sh * sw; px++) {
          if (up[px] > thresholds[v]) {
            n++;
            for (int[] plane : planes) {
              int c = plane[px];
              if (c != 0 && table.category(c) >= 0) {
                out.intersection[v][c]++;
                hit[table.category(c)] = true;
              }
            }
          }
        }
        out.maskPixels[v] += n;
        for (int k = 0; k < table.categoryCount(); k++) {
          boolean counts = rule == NetDissection.UnitArea.ANNOTATED_IMAGES ? annotated[k] : scalarCat[k] || hit[k];
          if (counts) {
            out.unitArea[v][k] += n;
          }
        }
        for (int c : a.imageConcepts()) {
          if (table.category(c) >= 0) {
            out.intersection[v][c] += n;
          }
        }
      }
    }
    return out;
  }
}
