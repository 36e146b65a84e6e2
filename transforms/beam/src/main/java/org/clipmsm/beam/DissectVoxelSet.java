package org.clipmsm.beam;

import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.dissect.Dissection;

/**
 * The per-set half of a dissection (docs/method.md §4.2-4.3) for one {@link VoxelSet}: {@link DissectVoxelSets} with a
 * single set, its rows unkeyed (numbered by their position in the set; for SoftWPMI and WPMI, S = log p(d|E_v) -
 * lambda log p(d) over the set's voxels). The set must hold at least one voxel of the input. To dissect several sets
 * from one pass, use {@link DissectVoxelSets}: one graph for all of them.
 *
 * <pre>{@code
 * PCollection<ScoreBlock> raw = q.apply(ScoreVoxels.withSimilarities(p).with(spec));
 * PCollection<ScoreBlock> faces = raw.apply("FFA", DissectVoxelSet.of(new VoxelSet("faces", ffaVoxels), spec));
 * PCollection<ScoreBlock> union = raw.apply("Union", DissectVoxelSet.of(VoxelSet.all(voxels), spec));
 * }</pre>
 */
public final class DissectVoxelSet extends PTransform<PCollection<ScoreBlock>, PCollection<ScoreBlock>> {
  private static final long serialVersionUID = 1L;
  private final VoxelSet set;
  private final Dissection spec;

  private DissectVoxelSet(VoxelSet set, Dissection spec) {
    this.set = set;
    this.spec = spec;
  }

  public static DissectVoxelSet of(VoxelSet set, Dissection spec) {
    return new DissectVoxelSet(set, spec);
  }

  @Override
  public PCollection<ScoreBlock> expand(PCollection<ScoreBlock> raw) {
    return raw.apply("One set", DissectVoxelSets.of(List.of(set), spec))
        .apply("Rows", Values.create())
        .setCoder(ScoreBlock.Coder.of());
  }
}
