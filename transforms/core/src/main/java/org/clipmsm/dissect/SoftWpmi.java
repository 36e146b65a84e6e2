package org.clipmsm.dissect;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * log p(d | E_v) of SoftWPMI and WPMI (docs/method.md §4.2; CLIP-Dissect's soft_wpmi and wpmi), for a block of
 * voxels given their top images:
 *
 * <pre>
 *   SoftWPMI: log p(d | E_v) = sum_i log(1 + p_i (P'[img_i, d] - 1) + min_prob),  p_i = p_start - (i / k)(p_start -
 * p_end)
 *   WPMI:     log p(d | E_v) = sum_i log(P'[img_i, d] + min_prob)
 * </pre>
 *
 * <p>How it is fast: each factor is f_i = alpha_i + w_i P' with alpha_i = 1 - p_i + min_prob (SoftWPMI) or min_prob
 * (WPMI), so the sum of k logs is the log of one product of k factors, one multiply-add and one multiply per
 * (voxel, label, image) and a single log per (voxel, label). The product cannot underflow: every factor is at least
 * f_min = min_i alpha_i (P' >= 0), e.g. 1 - 0.998 + 1e-7 for the defaults, so a product of c factors is at least
 * f_min^c, which stays above the smallest normal double (2^-1022) for c <= 1022 ln 2 / -ln f_min (113 factors for the
 * defaults, 43 for WPMI's min_prob); longer sums are split into products of that many factors whose logs are added
 * (and f_min = 0 falls back to one log per factor). Factors are at most 1 + min_prob, so nothing overflows either.
 * Work is split into (label tile, chunk of 512 voxels) tasks run in parallel on all cores; within a task the voxels'
 * top images are sorted by image, the tile's rows are streamed once in memory order, and each row updates the running
 * products of the voxels that have that image among their top k (kept in L2). Each voxel's factors are thus multiplied
 * in increasing image index order (rank order only decides the weights), which depends on the voxel's own top images
 * alone: every (voxel, label) value is computed by the same operations in the same order whatever the tiling,
 * sharding or threading, so results are reproducible bit for bit.
 */
public final class SoftWpmi {
  /** Voxels per task: their running products, 512 x 128 doubles, stay in a core's L2. */
  private static final int VOXEL_CHUNK = 512;

  private SoftWpmi() {}

  /**
   * @param top voxels x k top images, row-major, in rank order ({@link TopImages#select})
   * @return voxels x labels, row-major: log p(d | E_v)
   */
  public static double[] logConditional(LabelProbabilities pp, int[] top, int voxels, Dissection spec) {
    int k = spec.topK();
    if (top.length != voxels * k) {
      throw new IllegalArgumentException(top.length + " top images for " + voxels + " voxels x k = " + k);
    }
    double[] w = new double[k];
    double[] alpha = new double[k];
    boolean soft = spec.function() == SimilarityFunction.SOFT_WPMI;
    for (int i = 0; i < k; i++) {
      w[i] = soft ? spec.weight(i) : 1;
      alpha[i] = soft ? (1 - w[i]) + spec.minProb() : spec.minProb();
    }
    int chunk = factorsPerProduct(alpha, spec.minProb());
    int labels = pp.labels();
    double[] out = new double[voxels * labels];
    int voxelChunks = (voxels + VOXEL_CHUNK - 1) / VOXEL_CHUNK;
    int tasks = pp.tileCount() * voxelChunks;
    IntStream.range(0, tasks).parallel().forEach(task -> {
      int t = task / voxelChunks;
      int j0 = (task % voxelChunks) * VOXEL_CHUNK;
      int j1 = Math.min(voxels, j0 + VOXEL_CHUNK);
      scoreTile(pp.tileRows(t), pp.width(t), t * pp.tile(), labels, top, k, w, alpha, chunk, j0, j1, out);
    });
    return out;
  }

  /**
   * How many factors one product may hold without leaving the normal double range: at least 1, at most
   * 1022 ln 2 / -ln f_min (lower bound) and 1023 ln 2 / ln(1 + min_prob) (upper bound).
   */
  static int factorsPerProduct(double[] alpha, double minProb) {
    double fMin = Double.POSITIVE_INFINITY;
    for (double a : alpha) {
      fMin = Math.min(fMin, a);
    }
    double limit = Integer.MAX_VALUE;
    if (!(fMin > 0)) {
      return 1;
    }
    if (fMin < 1) {
      limit = Math.min(limit, Math.floor(1022 * Math.log(2) / -Math.log(fMin)));
    }
    if (minProb > 0) {
      limit = Math.min(limit, Math.floor(1023 * Math.log(2) / Math.log1p(minProb)));
    }
    return (int) Math.max(1, limit);
  }

  /**
   * One tile of labels for voxels [j0, j1). Image-major: the voxels' (image, rank) pairs are sorted by image, so the
   * tile's rows are read once each, in memory order, while each voxel's running products (voxels x width, kept in
   * L2) are updated; a voxel's factors are multiplied in increasing image order, which depends on nothing but its own
   * top images.
   */
  private static void scoreTile(double[][] tile, int width, int firstLabel, int labels, int[] top, int k, double[] w,
      double[] alpha, int chunk, int j0, int j1, double[] out) {
    int m = j1 - j0;
    int images = tile.length;
    // Counting sort of the pairs by image.
    int[] start = new int[images + 1];
    for (int p = j0 * k; p < j1 * k; p++) {
      start[top[p] + 1]++;
    }
    for (int i = 0; i < images; i++) {
      start[i + 1] += start[i];
    }
    int[] fill = java.util.Arrays.copyOf(start, images);
    int[] pairVoxel = new int[m * k];
    int[] pairRank = new int[m * k];
    for (int j = j0; j < j1; j++) {
      for (int i = 0; i < k; i++) {
        int at = fill[top[j * k + i]]++;
        pairVoxel[at] = j - j0;
        pairRank[at] = i;
      }
    }
    double[][] prod = new double[m][width];
    double[][] sum = chunk < k ? new double[m][width] : null;
    int[] inProduct = chunk < k ? new int[m] : null;
    for (double[] row : prod) {
      Arrays.fill(row, 1.0);
    }
    for (int img = 0; img < images; img++) {
      if (start[img] == start[img + 1]) {
        continue;
      }
      double[] row = tile[img];
      for (int at = start[img]; at < start[img + 1]; at++) {
        int v = pairVoxel[at];
        int r = pairRank[at];
        double[] pv = prod[v];
        double wi = w[r];
        double ai = alpha[r];
        for (int d = 0; d < width; d++) {
          pv[d] *= Math.fma(wi, row[d], ai);
        }
        if (sum != null && ++inProduct[v] == chunk) {
          double[] sv = sum[v];
          for (int d = 0; d < width; d++) {
            sv[d] += Math.log(pv[d]);
            pv[d] = 1.0;
          }
          inProduct[v] = 0;
        }
      }
    }
    for (int v = 0; v < m; v++) {
      int o = (j0 + v) * labels + firstLabel;
      double[] pv = prod[v];
      double[] sv = sum == null ? null : sum[v];
      for (int d = 0; d < width; d++) {
        out[o + d] = sv == null ? Math.log(pv[d]) : sv[d] + Math.log(pv[d]);
      }
    }
  }
}
