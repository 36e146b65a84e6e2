package org.clipmsm.beam;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.linalg.Matrix;

/**
 * CLIP dissection of voxels (docs/method.md §4) in one transform: activations Q (blocks of images x voxels) and
 * image-label similarities P (images x labels) to scores S (voxels x labels) for one voxel set, i.e.
 * {@link ScoreVoxels} followed by {@link DissectVoxelSet}. To dissect several sets (each ROI and their union) from one
 * pass over Q, apply ScoreVoxels once and {@link DissectVoxelSets} to all the sets. Without {@link #forSet}, every voxel of Q forms
 * one set (give its size with {@link #forAllVoxels}).
 *
 * <pre>{@code
 * PCollection<VoxelBlock> q = pipeline.apply(ReadVoxelBlocks.from("Q.npy"));
 * PCollection<Matrix> p = pipeline.apply(ReadNpyMatrix.from("P.npy"));
 * PCollection<ScoreBlock> s = q.apply(DissectVoxels.withSimilarities(p)
 *     .with(Dissection.softWpmi().withTopK(100))
 *     .forSet(new VoxelSet("ffa", ffaVoxels)));
 * PCollection<SemanticMap> maps = s.apply(ToSemanticMaps.withLabels(labels).withTemperature(1));
 * }</pre>
 */
public final class DissectVoxels extends PTransform<PCollection<VoxelBlock>, PCollection<ScoreBlock>> {
  private static final long serialVersionUID = 1L;
  private final transient PCollection<Matrix> similarities;
  private final Dissection spec;
  private final VoxelSet set;

  private DissectVoxels(PCollection<Matrix> similarities, Dissection spec, VoxelSet set) {
    this.similarities = similarities;
    this.spec = spec;
    this.set = set;
  }

  public static DissectVoxels withSimilarities(PCollection<Matrix> similarities) {
    return new DissectVoxels(similarities, Dissection.softWpmi(), null);
  }

  public DissectVoxels with(Dissection d) {
    return new DissectVoxels(similarities, d, set);
  }

  public DissectVoxels forSet(VoxelSet s) {
    return new DissectVoxels(similarities, spec, s);
  }

  /** All voxels 0 .. count - 1 of Q as one set. */
  public DissectVoxels forAllVoxels(long count) {
    return forSet(VoxelSet.all(count));
  }

  @Override
  public PCollection<ScoreBlock> expand(PCollection<VoxelBlock> activations) {
    if (set == null) {
      throw new IllegalStateException("DissectVoxels: give the voxel set with forSet or forAllVoxels");
    }
    return activations
        .apply("Score voxels", ScoreVoxels.withSimilarities(similarities).with(spec).withTotalVoxels(set.size()))
        .apply("Voxel set " + set.name(), DissectVoxelSet.of(set, spec));
  }
}
