package org.clipmsm.dissect;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.clipmsm.linalg.Matrix;

/**
 * The CLIP-MSM paper's Fig. 6 measure (docs/method.md §6): for each label, the Pearson r across voxels between the
 * voxels'
 * CLIP-MSM weight of that label (softmax of S) and a ground truth of the label (fLoc t-maps, or a synthetic subject's
 * planted tuning), beside the same r for CLIP-Dissect's single label as a one-hot (1 where the label is the voxel's
 * argmax). r is NaN where either side is constant over the voxels (e.g. a label that is nobody's argmax).
 *
 * @param msm r per label of the CLIP-MSM map
 * @param oneHot r per label of the CLIP-Dissect one-hot map
 */
public record GroundTruthCorrelation(double[] msm, double[] oneHot) {
  /**
   * @param msm voxels x labels CLIP-MSM map
   * @param argmax each voxel's CLIP-Dissect label (column of msm)
   * @param truth voxels x labels ground truth, the same columns
   */
  public static GroundTruthCorrelation of(Matrix msm, int[] argmax, Matrix truth) {
    int v = msm.rows();
    int labels = msm.cols();
    if (truth.rows() != v || truth.cols() != labels || argmax.length != v) {
      throw new IllegalArgumentException("msm " + v + " x " + labels + ", argmax " + argmax.length + ", truth "
          + truth.rows() + " x " + truth.cols() + ": expected the same voxels and labels");
    }
    double[] rMsm = new double[labels];
    double[] rOneHot = new double[labels];
    PearsonsCorrelation pearson = new PearsonsCorrelation();
    for (int d = 0; d < labels; d++) {
      double[] m = java.util.Arrays.copyOfRange(msm.data(), d * v, (d + 1) * v);
      double[] t = java.util.Arrays.copyOfRange(truth.data(), d * v, (d + 1) * v);
      double[] h = new double[v];
      for (int j = 0; j < v; j++) {
        h[j] = argmax[j] == d ? 1 : 0;
      }
      rMsm[d] = v < 2 ? Double.NaN : pearson.correlation(m, t);
      rOneHot[d] = v < 2 ? Double.NaN : pearson.correlation(h, t);
    }
    return new GroundTruthCorrelation(rMsm, rOneHot);
  }
}
