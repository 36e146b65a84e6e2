package org.clipmsm.pipelines;

import java.util.Objects;
import org.clipmsm.io.Npy;

/**
 * What the dissection writes besides argmax and the summaries: the dtype of {@code scores.npy} and {@code msm.npy}
 * (voxels x labels; float64 by default, float32 halves them for open-vocabulary label sets, each value rounded to the
 * nearest float) and whether {@code semantic_map.avro} (one record per voxel with every label's weight: 6 GB at
 * 20,000 voxels x 20,000 labels) is written.
 *
 * @param scores FLOAT64 or FLOAT32
 * @param avro write semantic_map.avro
 */
public record DissectOutputs(Npy.DType scores, boolean avro) {
  /** float64 scores and maps, and the Avro records. */
  public static final DissectOutputs DEFAULT = new DissectOutputs(Npy.DType.FLOAT64, true);

  public DissectOutputs {
    Objects.requireNonNull(scores, "scores");
  }
}
