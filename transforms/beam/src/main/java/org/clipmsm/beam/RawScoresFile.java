package org.clipmsm.beam;

import java.io.Serializable;
import java.nio.file.Path;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyRanges;

/**
 * The raw scores of every voxel (log p(d|E_v) for SoftWPMI and WPMI, S for the others; docs/method.md §4) kept in a
 * labels x voxels float64 .npy: the scoring step writes each block's columns in place
 * ({@link ScoreVoxels.FromSource#writingTo}), and the per-set steps read them back by voxel range
 * ({@link DissectVoxelSets#fromFile}), so no block of scores waits in memory for a set's log p(d). A voxel's scores
 * are one column, so a range is one contiguous read per label, and its column-major values are the block's row-major
 * voxels x labels scores.
 */
public final class RawScoresFile implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final int labels;

  private RawScoresFile(String path, int labels) {
    this.path = path;
    this.labels = labels;
  }

  /** Creates the file, labels x voxels, for the scoring step to fill. */
  public static RawScoresFile create(String path, int labels, long voxels) {
    NpyRanges.createMatrix(Path.of(path), labels, Math.toIntExact(voxels), Npy.DType.FLOAT64);
    return new RawScoresFile(path, labels);
  }

  /** Writes a block of consecutive voxels' scores into their columns. */
  public void write(ScoreBlock b) {
    NpyRanges.writeColumns(Path.of(path), Math.toIntExact(b.voxels()[0]), b.scores(), b.rows());
  }

  /** The scores of voxels {@code first .. first + count - 1}, as one block of consecutive voxels. */
  public ScoreBlock read(long first, int count) {
    return ScoreBlock.consecutive(first, count, labels, Npy.readColumns(Path.of(path), Math.toIntExact(first), count));
  }

  public String path() {
    return path;
  }
}
