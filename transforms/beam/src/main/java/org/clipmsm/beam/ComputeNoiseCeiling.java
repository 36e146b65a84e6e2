package org.clipmsm.beam;

import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.clipmsm.stats.AveragedTrials;
import org.clipmsm.stats.NoiseCeiling;

/**
 * Noise ceiling (% explainable variance) from ncsnr, voxel by voxel (docs/method.md §3.4): for n averaged trials, or
 * for
 * mixed repetition counts A, B, C (images with 3, 2, 1 trials).
 *
 * <pre>{@code
 * PCollection<VoxelValues> nc = ncsnr.apply(ComputeNoiseCeiling.forTrials(3));
 * PCollection<VoxelValues> ncMixed = ncsnr.apply(ComputeNoiseCeiling.forTrialCounts(6234, 2177, 1000));
 * }</pre>
 */
public final class ComputeNoiseCeiling extends PTransform<PCollection<VoxelValues>, PCollection<VoxelValues>> {
  private static final long serialVersionUID = 1L;

  private final double inverseTrials;

  private ComputeNoiseCeiling(double inverseTrials) {
    this.inverseTrials = inverseTrials;
  }

  public static ComputeNoiseCeiling forTrials(int n) {
    return new ComputeNoiseCeiling(NoiseCeiling.inverseTrials(n));
  }

  public static ComputeNoiseCeiling forTrialCounts(long threeTrials, long twoTrials, long oneTrial) {
    return new ComputeNoiseCeiling(NoiseCeiling.inverseTrials(threeTrials, twoTrials, oneTrial));
  }

  public static ComputeNoiseCeiling of(AveragedTrials trials) {
    return new ComputeNoiseCeiling(trials.inverse());
  }

  @Override
  public PCollection<VoxelValues> expand(PCollection<VoxelValues> ncsnr) {
    double inv = inverseTrials;
    return ncsnr.apply("Noise ceiling", MapElements.into(TypeDescriptor.of(VoxelValues.class))
        .via((VoxelValues v) -> new VoxelValues(v.firstVoxel(), NoiseCeiling.percent(v.values(), inv))))
        .setCoder(VoxelValues.Coder.of());
  }
}
