package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.stats.AveragedTrials;

/**
 * The noise ceiling of each voxel from its ncsnr ({@link NoiseCeilingPipeline}).
 *
 * @param ncsnr ncsnr per voxel, {@code (voxels,)}
 * @param trials how many trials each response averages
 * @param out the result, a float64 {@code (voxels,)} .npy in percent of explainable variance
 * @param voxelsPerBlock voxels per unit of parallel work
 */
public record NoiseCeilingSettings(Path ncsnr, AveragedTrials trials, Path out, int voxelsPerBlock) {
  public NoiseCeilingSettings {
    Objects.requireNonNull(ncsnr, "ncsnr");
    Objects.requireNonNull(trials, "trials");
    Objects.requireNonNull(out, "out");
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
  }

  public static NoiseCeilingSettings of(Path ncsnr, AveragedTrials trials, Path out) {
    return new NoiseCeilingSettings(ncsnr, trials, out, ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK);
  }
}
