package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.beam.ReadVoxelBlocks;

/**
 * A NOD subject's responses as arrays ({@link PrepareNodPipeline}).
 *
 * @param nodRoot the dataset root (derivatives/ciftify/, and sub-XX/ with the BIDS events)
 * @param subject 1..30
 * @param out the result directory
 * @param voxelsPerBlock grayordinates per unit of parallel work
 */
public record PrepareNodSettings(Path nodRoot, int subject, Path out, int voxelsPerBlock) {
  public PrepareNodSettings {
    Objects.requireNonNull(nodRoot, "nodRoot");
    Objects.requireNonNull(out, "out");
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
  }

  public static PrepareNodSettings of(Path nodRoot, int subject, Path out) {
    return new PrepareNodSettings(nodRoot, subject, out, PrepareNsdSettings.DEFAULT_VOXELS_PER_BLOCK);
  }

  public PrepareNodSettings withVoxelsPerBlock(int n) {
    return new PrepareNodSettings(nodRoot, subject, out, n);
  }
}
