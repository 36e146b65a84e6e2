package org.clipmsm.beam;

import java.io.Serializable;
import org.clipmsm.dissect.SemanticMaps;

/**
 * The top label (argmax of the scores; -1 where a voxel has none) of each row of a block of a voxel set: what
 * {@link FindProbeImages} needs of the scores, a few bytes per voxel instead of a row of scores.
 */
public record TopLabelRows(long[] voxels, int[] labels) implements Serializable {

  /** The top labels of a block's rows. */
  public static TopLabelRows of(ScoreBlock b) {
    return new TopLabelRows(b.voxels(), SemanticMaps.argmax(b.scores(), b.rows(), b.labels()));
  }
}
