package org.clipmsm.dissect;

import java.util.SplittableRandom;
import org.clipmsm.linalg.Matrix;

/**
 * CLIP-Dissect's rank-reorder similarity function (docs/method.md §4): for voxel v take its top n = int(images x
 * top_fraction) images by activation (ties: lower image index first), t_0 >= ... >= t_{n-1} their activations and
 * s = t in ascending order. For label d, rank the top images by P[img_i, d] (ascending, ties: the image ranked higher
 * by activation gets the lower rank, where torch's argsort leaves ties unspecified) and reorder: r_i = s[rank_i].
 *
 * <pre>
 *   S[v, d] = -( mean_i |t_i - r_i|^p / baseline_v ) / mean_i(P[img_i, d])^scale_p
 * </pre>
 *
 * baseline_v = mean |s_i - s_perm(i)|^p over 5 random permutations of s, as in CLIP-Dissect; here the permutations
 * are drawn from a seed and the voxel's index, so the result is reproducible and independent of sharding. A label
 * whose mean similarity over the top images is negative gets NaN (a fractional power of a negative number), as in
 * CLIP-Dissect. Cost: a sort of n values per (voxel, label).
 */
public final class RankReorder {
  static final int BASELINE_PERMUTATIONS = 5;

  private RankReorder() {}

  /**
   * @param p images x labels similarities
   * @param q images x voxels activations of voxels firstVoxel, firstVoxel + 1, ...
   * @return voxels x labels, row-major
   */
  public static double[] scores(Matrix p, Matrix q, long firstVoxel, Dissection spec) {
    int images = q.rows();
    int n = spec.topImages(images);
    int m = q.cols();
    int labels = p.cols();
    int[] top = TopImages.select(q, n);
    double[] out = new double[m * labels];
    double power = spec.rankP();
    double[] t = new double[n];
    double[] s = new double[n];
    double[] c = new double[n];
    int[] order = new int[n];
    int[] scratch = new int[n];
    int[] rank = new int[n];
    double[] pd = p.data();
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < n; i++) {
        t[i] = q.get(top[j * n + i], j);
      }
      for (int i = 0; i < n; i++) {
        s[i] = t[n - 1 - i];
      }
      double baseline = baseline(s, power, spec.seed(), firstVoxel + j);
      for (int d = 0; d < labels; d++) {
        double mean = 0;
        int col = d * images;
        for (int i = 0; i < n; i++) {
          c[i] = pd[col + top[j * n + i]];
          mean += c[i];
        }
        mean /= n;
        argsortStable(c, order, scratch);
        for (int r = 0; r < n; r++) {
          rank[order[r]] = r;
        }
        double err = 0;
        for (int i = 0; i < n; i++) {
          err += pow(Math.abs(t[i] - s[rank[i]]), power);
        }
        err /= n;
        out[j * labels + d] = -((err / baseline) / Math.pow(mean, spec.scaleP()));
      }
    }
    return out;
  }

  /** mean |s_i - s_perm(i)|^p over the 5 seeded permutations. */
  static double baseline(double[] s, double power, long seed, long voxel) {
    int n = s.length;
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + voxel);
    int[] perm = new int[n];
    double sum = 0;
    for (int b = 0; b < BASELINE_PERMUTATIONS; b++) {
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int r = rnd.nextInt(i + 1);
        int tmp = perm[i];
        perm[i] = perm[r];
        perm[r] = tmp;
      }
      for (int i = 0; i < n; i++) {
        sum += pow(Math.abs(s[i] - s[perm[i]]), power);
      }
    }
    return sum / ((double) BASELINE_PERMUTATIONS * n);
  }

  static double pow(double x, double p) {
    return p == 3 ? x * x * x : Math.pow(x, p);
  }

  /** order = indices of c sorted ascending by value, ties by index (a stable merge sort). */
  static void argsortStable(double[] c, int[] order, int[] scratch) {
    int n = c.length;
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int a = lo;
        int b = mid;
        int o = lo;
        while (a < mid && b < hi) {
          scratch[o++] = c[order[b]] < c[order[a]] ? order[b++] : order[a++];
        }
        while (a < mid) {
          scratch[o++] = order[a++];
        }
        while (b < hi) {
          scratch[o++] = order[b++];
        }
      }
      System.arraycopy(scratch, 0, order, 0, n);
    }
  }
}
