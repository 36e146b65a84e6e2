package org.clipmsm.stats;

import org.clipmsm.InvalidInputException;

/**
 * The noise-ceiling signal-to-noise ratio of NSD (Allen et al. 2022), from single-trial betas z-scored within
 * session: over the images shown {@code repeats} times, sigma_noise^2 = mean over images of the across-trial variance
 * (ddof 1), and ncsnr = sqrt(max(0, 1 - sigma_noise^2)) / sigma_noise (the z-scoring makes the total variance 1, so
 * the signal variance is what the noise leaves). Images shown another number of times are ignored.
 */
public final class Ncsnr {
  private Ncsnr() {}

  /**
   * @param betas trials x voxels, column-major (a voxel's trials contiguous), z-scored within session
   * @param imageOfTrial the image shown on each trial (any ids)
   * @param repeats the repetition count whose images are used (NSD: 3)
   */
  public static double[] compute(double[] betas, int voxels, int[] imageOfTrial, int repeats) {
    int trials = imageOfTrial.length;
    if ((long) trials * voxels != betas.length) {
      throw new IllegalArgumentException("betas: expected " + trials + " x " + voxels + " values, got " + betas.length);
    }
    if (repeats < 2) {
      throw new InvalidInputException("ncsnr: needs images with at least 2 repetitions, got " + repeats);
    }
    java.util.Map<Integer, java.util.List<Integer>> byImage = new java.util.TreeMap<>();
    for (int t = 0; t < trials; t++) {
      byImage.computeIfAbsent(imageOfTrial[t], k -> new java.util.ArrayList<>()).add(t);
    }
    int[][] groups = byImage.values().stream().filter(l -> l.size() == repeats)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    if (groups.length == 0) {
      throw new InvalidInputException("ncsnr: no image has " + repeats + " trials");
    }
    double[] out = new double[voxels];
    for (int v = 0; v < voxels; v++) {
      int off = v * trials;
      double noiseVar = 0;
      for (int[] g : groups) {
        double mean = 0;
        for (int t : g) {
          mean += betas[off + t];
        }
        mean /= g.length;
        double ss = 0;
        for (int t : g) {
          double d = betas[off + t] - mean;
          ss += d * d;
        }
        noiseVar += ss / (g.length - 1);
      }
      noiseVar /= groups.length;
      double sd = Math.sqrt(noiseVar);
      out[v] = sd > 0 ? Math.sqrt(Math.max(0, 1 - noiseVar)) / sd : Double.NaN;
    }
    return out;
  }
}
