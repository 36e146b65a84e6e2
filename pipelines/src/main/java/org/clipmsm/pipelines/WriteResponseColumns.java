package org.clipmsm.pipelines;

import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;
import org.clipmsm.beam.VoxelBlock;
import org.clipmsm.io.Npy;

/**
 * Writes each voxel block into its columns of a preallocated images x voxels .npy ({@link Npy#createMatrix}): blocks
 * touch disjoint columns, so workers write in any order and the file is the same.
 */
final class WriteResponseColumns extends DoFn<VoxelBlock, Void> {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final String command;

  WriteResponseColumns(Path file, String command) {
    this.file = file.toString();
    this.command = command;
  }

  @ProcessElement
  public void process(@Element VoxelBlock b) {
    Npy.writeColumns(Path.of(file), (int) b.firstVoxel(), b.values().data(), b.voxels());
    System.err.printf("clipmsm %s: voxels %d-%d done%n", command, b.firstVoxel(), b.firstVoxel() + b.voxels() - 1);
  }
}
