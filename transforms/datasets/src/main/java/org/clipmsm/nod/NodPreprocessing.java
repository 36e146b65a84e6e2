package org.clipmsm.nod;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLIP-MSM paper's NOD preprocessing (docs/datasets.md §2): ImageNet betas z-scored per run, each grayordinate
 * across
 * the run's trials; COCO betas z-scored across images within each run, then averaged over runs per image. Arrays are
 * maps (trials) x grayordinates, column-major (a grayordinate's trials contiguous); population sd; a constant
 * grayordinate becomes 0.
 */
public final class NodPreprocessing {
  private NodPreprocessing() {}

  /** Z-scores each column of a maps x grayordinates run in place. */
  public static void zScoreRun(double[] betas, int maps, int grayordinates) {
    for (int g = 0; g < grayordinates; g++) {
      int off = g * maps;
      double mean = 0;
      for (int t = 0; t < maps; t++) {
        mean += betas[off + t];
      }
      mean /= maps;
      double var = 0;
      for (int t = 0; t < maps; t++) {
        double d = betas[off + t] - mean;
        var += d * d;
      }
      double sd = Math.sqrt(var / maps);
      for (int t = 0; t < maps; t++) {
        betas[off + t] = sd > 0 ? (betas[off + t] - mean) / sd : 0;
      }
    }
  }

  /**
   * COCO: z-score each run across its images, then average each image over the runs that showed it. Returns the
   * images (in first-seen order, {@code imagesOut} filled) x grayordinates, column-major.
   */
  public static double[] cocoAverage(List<double[]> runs, List<List<String>> runLabels, int grayordinates,
      List<String> imagesOut) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (List<String> labels : runLabels) {
      for (String s : labels) {
        index.putIfAbsent(s, index.size());
      }
    }
    int n = index.size();
    double[] sum = new double[n * grayordinates];
    int[] count = new int[n];
    for (int r = 0; r < runs.size(); r++) {
      List<String> labels = runLabels.get(r);
      int maps = labels.size();
      double[] z = runs.get(r).clone();
      zScoreRun(z, maps, grayordinates);
      for (int t = 0; t < maps; t++) {
        int img = index.get(labels.get(t));
        count[img]++;
        for (int g = 0; g < grayordinates; g++) {
          sum[img + n * g] += z[t + maps * g];
        }
      }
    }
    for (int img = 0; img < n; img++) {
      for (int g = 0; g < grayordinates; g++) {
        sum[img + n * g] /= count[img];
      }
    }
    imagesOut.addAll(index.keySet());
    return sum;
  }
}
