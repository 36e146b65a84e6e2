package org.clipmsm.cli;

import org.clipmsm.beam.ReadVoxelBlocks;
import picocli.CommandLine.Option;

/** The unit of parallel work of the commands that process voxels in blocks. */
final class BlockOptions {
  @Option(names = "--voxels-per-block", paramLabel = "N", description = "Voxels per block, the unit of parallel work"
      + " (default ${DEFAULT-VALUE}). Results never depend on the runner or --parallelism; a fit's, only in the last"
      + " bits on the block size.")
  int voxelsPerBlock = ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK;
}
