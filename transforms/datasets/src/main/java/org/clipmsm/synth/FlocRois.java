package org.clipmsm.synth;

/**
 * The fLoc ROIs of the CORTEX regime, defined as NSD defines its own, from the fLoc maps: a planted voxel is in the
 * ROI of category c when its measured fLoc contrast for c (the t-map, or NOD's fLoc beta, divided by its scale)
 * exceeds {@link #CONTRAST_THRESHOLD}, so a voxel with mixed tuning can be in two ROIs; and every planted voxel is in
 * at least the ROI of its largest contrast (the region drawn around it), so that the union of the ROIs is still the
 * planted voxels, as in the DOMINANT regime (where each ROI is one patch and the ROIs are disjoint).
 *
 * <p>The planted contrast of category c is {@code tuning[c] - mean of the other tunings} = {@code 1.25 tuning[c] -
 * 0.25} (rows sum to 1; flat tuning gives 0), written as the t-map {@code 10 x contrast + N(0, 0.5^2)} (NSD) or the
 * fLoc beta {@code 3 x contrast + N(0, 0.3^2)} (NOD). The threshold 0.2 is t &gt; 2 on NSD's synthetic scale (a liberal
 * localizer threshold, about p &lt; 0.05 uncorrected) and means a noise-free tuning above 0.36, 1.8 times the flat
 * share: weakly selective voxels ({@link VoxelTuning#WEAK_TOP}) fall below it, and a two-category voxel whose pair
 * takes more than about 0.72 passes it for both categories.
 */
public final class FlocRois {
  /** Contrast (tuning of the category minus the mean tuning of the others) above which a voxel is in the ROI. */
  public static final double CONTRAST_THRESHOLD = 0.2;

  private FlocRois() {}

  /**
   * Membership of each planted voxel (rows) in each ROI (columns of {@code maps}, the measured fLoc maps at the planted
   * voxels, in {@code scale} units per unit contrast): above {@code scale x CONTRAST_THRESHOLD}, or the voxel's
   * largest map (the first of equal ones).
   */
  public static boolean[][] members(double[][] maps, double scale) {
    double threshold = scale * CONTRAST_THRESHOLD;
    boolean[][] out = new boolean[maps.length][];
    for (int q = 0; q < maps.length; q++) {
      double[] m = maps[q];
      out[q] = new boolean[m.length];
      int best = 0;
      for (int c = 0; c < m.length; c++) {
        out[q][c] = m[c] > threshold;
        best = m[c] > m[best] ? c : best;
      }
      out[q][best] = true;
    }
    return out;
  }
}
