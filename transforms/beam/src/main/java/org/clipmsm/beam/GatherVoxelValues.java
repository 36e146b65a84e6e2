package org.clipmsm.beam;

import java.util.List;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Gathers per-voxel values from blocks into one array indexed by voxel (NaN where no block covers a voxel), as a
 * side input: small per-voxel results (p, q, noise ceiling) joined onto large per-voxel records.
 *
 * <pre>{@code
 * PCollectionView<List<Double>> qByVoxel = q.apply(GatherVoxelValues.asView());
 * }</pre>
 */
public final class GatherVoxelValues extends PTransform<PCollection<VoxelValues>, PCollectionView<List<Double>>> {
  private static final long serialVersionUID = 1L;

  public static GatherVoxelValues asView() {
    return new GatherVoxelValues();
  }

  /** Blocks (sorted by first voxel) to one list indexed by voxel. */
  static List<Double> concatenate(List<VoxelValues> sorted) {
    int n = 0;
    for (VoxelValues b : sorted) {
      n = (int) Math.max(n, b.firstVoxel() + b.values().length);
    }
    Double[] all = new Double[n];
    java.util.Arrays.fill(all, Double.NaN);
    for (VoxelValues b : sorted) {
      for (int j = 0; j < b.values().length; j++) {
        all[(int) b.firstVoxel() + j] = b.values()[j];
      }
    }
    return java.util.Arrays.asList(all);
  }

  @Override
  public PCollectionView<List<Double>> expand(PCollection<VoxelValues> blocks) {
    return blocks
        .apply("Gather blocks", Combine.globally(new AdjustFdr.Gather()))
        .setCoder(ListCoder.of(VoxelValues.Coder.of()))
        .apply("By voxel", MapElements.into(TypeDescriptors.lists(TypeDescriptors.doubles()))
            .via(GatherVoxelValues::concatenate))
        .setCoder(ListCoder.of(DoubleCoder.of()))
        .apply("As side input", View.asSingleton());
  }
}
