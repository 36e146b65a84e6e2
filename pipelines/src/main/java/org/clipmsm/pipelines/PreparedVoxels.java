package org.clipmsm.pipelines;

import java.util.Set;

/**
 * The layout of prepare's {@code voxels.csv} (docs/datasets.md §1-2): one row per column of responses.npy, the fixed
 * columns that place it in the subject's space, then one column per ROI holding the voxel's label there (> 0 inside).
 */
public final class PreparedVoxels {
  /** The columns that are not ROIs. */
  public static final Set<String> FIXED_COLUMNS = Set.of("column", "voxel", "grayordinate", "structure", "vertex",
      "i", "j", "k");

  private PreparedVoxels() {}
}
