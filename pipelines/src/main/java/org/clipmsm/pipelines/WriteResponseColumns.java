package org.clipmsm.pipelines;

import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;
import org.clipmsm.beam.ProgressLog;
import org.clipmsm.beam.VoxelBlock;
import org.clipmsm.io.Npy;

/**
 * Writes each voxel block into its columns of a preallocated images x voxels .npy ({@link Npy#createMatrix}): blocks
 * touch disjoint columns, so workers write in any order and the file is the same.
 */
final class WriteResponseColumns extends DoFn<VoxelBlock, Void> {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final ProgressLog.Counter progress;

  WriteResponseColumns(Path file, String command, long totalVoxels) {
    this.file = file.toString();
    this.progress = ProgressLog.Counter.of(command, totalVoxels);
  }

  @Setup
  public void setup() {
    progress.start();
  }

  @ProcessElement
  public void process(@Element VoxelBlock b) {
    Npy.writeColumns(Path.of(file), (int) b.firstVoxel(), b.values().data(), b.voxels());
    progress.blockDone(b.voxels());
  }
}
