package org.clipmsm.nsd;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;

/**
 * The CLIP-MSM paper's preprocessing of NSD single-trial betas: z-score each voxel within each session (or run),
 * then average the repetitions of each image into one response per voxel and image.
 *
 * <p>Matrices are column-major doubles, rows x voxels: voxel {@code v}'s rows are {@code [v*rows, (v+1)*rows)}.
 */
public final class ResponsePreprocessing {
  /** The blocks within which each voxel is z-scored. */
  public enum ZScore {
    /** Each session's 750 trials (the paper's default). */
    SESSION,
    /** Each run's 63 or 62 trials (session and run). */
    RUN
  }

  private ResponsePreprocessing() {}

  /**
   * Z-scores, in place, each voxel's betas within each block of trials (session or run): {@code z = (x - mean) / sd}
   * with the mean and the population sd (ddof 0, as numpy and scipy.stats.zscore default) over the block's trials.
   * A voxel that is constant over a block (sd 0, including a block of one trial) gets 0 there: the voxel carries
   * no signal in that block, and 0 is the block mean after z-scoring, so it neither adds to nor biases the
   * average of repetitions. Constancy is tested exactly (all values equal), not by {@code sd == 0}, because
   * rounding makes the computed sd of equal values tiny but nonzero. NaN betas stay NaN and make their voxel's
   * block NaN.
   *
   * @param betas trials x voxels, column-major, rows in the order of {@code trials}
   * @param trials the trials of the rows (normally {@link NsdDesign#trials()}); blocks need not be contiguous
   */
  public static void zScore(double[] betas, int voxels, List<NsdTrial> trials, ZScore mode) {
    int rows = trials.size();
    checkShape(betas, voxels, rows, "trials");
    // Block of each row: sessions (or session-run pairs) numbered in order of first appearance.
    int[] block = new int[rows];
    Map<Integer, Integer> ids = new HashMap<>();
    for (int i = 0; i < rows; i++) {
      NsdTrial t = trials.get(i);
      int key = mode == ZScore.SESSION ? t.session() : t.session() * 100 + t.run();
      Integer id = ids.get(key);
      if (id == null) {
        id = ids.size();
        ids.put(key, id);
      }
      block[i] = id;
    }
    int blocks = ids.size();
    int[] count = new int[blocks];
    for (int b : block) {
      count[b]++;
    }
    double[] mean = new double[blocks];
    double[] ss = new double[blocks];
    double[] firstValue = new double[blocks];
    boolean[] seen = new boolean[blocks];
    boolean[] constant = new boolean[blocks];
    for (int v = 0; v < voxels; v++) {
      int off = v * rows;
      Arrays.fill(mean, 0);
      Arrays.fill(ss, 0);
      Arrays.fill(constant, true);
      Arrays.fill(seen, false);
      for (int i = 0; i < rows; i++) {
        int b = block[i];
        double x = betas[off + i];
        mean[b] += x;
        if (!seen[b]) {
          seen[b] = true;
          firstValue[b] = x;
        } else if (x != firstValue[b]) {
          constant[b] = false;
        }
      }
      for (int b = 0; b < blocks; b++) {
        mean[b] /= count[b];
      }
      // Two passes (mean, then squared deviations) rather than sum of squares: no cancellation.
      for (int i = 0; i < rows; i++) {
        double d = betas[off + i] - mean[block[i]];
        ss[block[i]] += d * d;
      }
      for (int i = 0; i < rows; i++) {
        int b = block[i];
        double x = betas[off + i];
        if (Double.isNaN(mean[b])) {
          betas[off + i] = Double.NaN;
        } else if (constant[b]) {
          betas[off + i] = 0;
        } else {
          betas[off + i] = (x - mean[b]) / Math.sqrt(ss[b] / count[b]);
        }
      }
    }
  }

  /**
   * Averages the repetitions of each image: row {@code i} of the result is the mean of the rows (trials) that
   * showed {@code design.images()[i]}, whatever their number (1..3; {@link NsdDesign#repetitions} gives it).
   *
   * @param betas trials x voxels, column-major, rows in the order of {@code design.trials()} (z-scored first)
   * @return images x voxels, column-major, rows in the order of {@code design.images()}
   */
  public static double[] averageRepetitions(double[] betas, int voxels, NsdDesign design) {
    List<NsdTrial> trials = design.trials();
    int rows = trials.size();
    checkShape(betas, voxels, rows, "trials of the design");
    int images = design.images().length;
    int[] imageOf = new int[rows];
    int[] count = new int[images];
    for (int i = 0; i < rows; i++) {
      imageOf[i] = design.imageIndex(trials.get(i).nsdId());
      count[imageOf[i]]++;
    }
    double[] out = new double[images * voxels];
    for (int v = 0; v < voxels; v++) {
      int in = v * rows;
      int o = v * images;
      for (int i = 0; i < rows; i++) {
        out[o + imageOf[i]] += betas[in + i];
      }
      for (int j = 0; j < images; j++) {
        out[o + j] /= count[j];
      }
    }
    return out;
  }

  private static void checkShape(double[] betas, int voxels, int rows, String what) {
    if (voxels < 0 || (long) rows * voxels != betas.length) {
      throw new InvalidInputException("betas: expected " + rows + " " + what + " x " + voxels + " voxels = "
          + (long) rows * voxels + " values, found " + betas.length);
    }
  }
}
