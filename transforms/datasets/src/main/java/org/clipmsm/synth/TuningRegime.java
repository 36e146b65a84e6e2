package org.clipmsm.synth;

/**
 * How a synthetic subject's ROI voxels are tuned and how its fLoc ROIs are drawn (docs/datasets.md §5).
 *
 * <ul>
 *   <li>{@link #DOMINANT}: every ROI voxel is dominated by its cluster's category (weight 0.45-0.8), and each ROI file
 *       holds exactly one cluster, so the ROIs are disjoint and the argmax of the tuning is the ROI. The regime of
 *       the first synthetic subjects, kept byte for byte: the same seed writes the same bytes as before the regimes
 *       existed.
 *   <li>{@link #CORTEX}: graded, mixed selectivity as in category-selective cortex ({@link VoxelTuning}: selective,
 *       two-category and weakly selective voxels, secondary tuning drawn per voxel), and ROIs defined from the planted
 *       fLoc contrast ({@link FlocRois}), so a voxel can be in two ROIs. The default.
 * </ul>
 */
public enum TuningRegime {
  DOMINANT, CORTEX;

  /** The regime of every constructor and factory that does not name one. */
  public static final TuningRegime DEFAULT = CORTEX;
}
