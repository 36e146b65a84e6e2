package org.clipmsm.synth;

import java.util.Random;

/**
 * Planted multi-semantic tuning (voxels x categories, rows summing to 1): each voxel is dominated by its ROI's
 * category (weight 0.45-0.8) and shares the rest unevenly among the other categories, so neighbouring selectivities
 * overlap as in real cortex. A voxel outside every category ROI (roi = -1) gets a flat-ish random mixture.
 */
public final class VoxelTuning {
  private VoxelTuning() {}

  public static double[][] draw(int[] roiCategory, int categories, Random rnd) {
    double[][] out = new double[roiCategory.length][categories];
    for (int v = 0; v < roiCategory.length; v++) {
      double[] w = new double[categories];
      double rest = 0;
      for (int c = 0; c < categories; c++) {
        w[c] = -Math.log(1 - rnd.nextDouble()); // Exp(1): Dirichlet(1, ..., 1) after normalising
        rest += w[c];
      }
      int roi = roiCategory[v];
      if (roi >= 0) {
        double dominant = 0.45 + 0.35 * rnd.nextDouble();
        double others = rest - w[roi];
        for (int c = 0; c < categories; c++) {
          out[v][c] = c == roi ? dominant : (1 - dominant) * w[c] / others;
        }
      } else {
        for (int c = 0; c < categories; c++) {
          out[v][c] = w[c] / rest;
        }
      }
    }
    return out;
  }
}
