package org.clipmsm.pipelines.output;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.VoxelBlock;
import org.clipmsm.beam.VoxelValues;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyRanges;

/**
 * DoFns that write what workers compute straight into pre-allocated staged .npy files ({@link NpyRanges}): blocks
 * touch disjoint ranges, so they are written in any order and the file is the same; and the one that cuts a 1-D
 * .npy input into the same voxel blocks ({@link #vectorBlocks}).
 */
public final class WriteNpy {
  private WriteNpy() {}

  /** Each block's values into its range of a 1-D float64 file ({@link NpyRanges#createVector}). */
  public static DoFn<VoxelValues, Void> values(Path file) {
    return new Values(file.toString());
  }

  /** Each block's columns into an images x voxels file ({@link NpyRanges#createMatrix}), reporting progress. */
  public static DoFn<VoxelBlock, Void> columns(Path file, Progress.Stage progress) {
    return new Columns(file.toString(), progress);
  }

  /** A 1-D .npy file (named by the one input element) as blocks of {@code size} consecutive voxels. */
  public static DoFn<String, VoxelValues> vectorBlocks(int size) {
    return new VectorBlocks(size);
  }

  private static final class Values extends DoFn<VoxelValues, Void> {
    private static final long serialVersionUID = 1L;
    private final String file;

    Values(String file) {
      this.file = file;
    }

    @ProcessElement
    public void process(@Element VoxelValues b) {
      NpyRanges.writeVector(Path.of(file), b.firstVoxel(), b.values());
    }
  }

  private static final class Columns extends DoFn<VoxelBlock, Void> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final Progress.Stage progress;

    Columns(String file, Progress.Stage progress) {
      this.file = file;
      this.progress = progress;
    }

    @ProcessElement
    public void process(@Element VoxelBlock b) {
      progress.start(); // at the first element: in a larger pipeline the work may start long after setup
      NpyRanges.writeColumns(Path.of(file), (int) b.firstVoxel(), b.values().data(), b.voxels());
      progress.blockDone(b.voxels());
    }
  }

  private static final class VectorBlocks extends DoFn<String, VoxelValues> {
    private static final long serialVersionUID = 1L;
    private final int size;

    VectorBlocks(int size) {
      this.size = size;
    }

    @ProcessElement
    public void process(@Element String file, OutputReceiver<VoxelValues> out) {
      double[] v = Npy.readVector(Path.of(file));
      for (int first = 0; first < v.length; first += size) {
        out.output(new VoxelValues(first, Arrays.copyOfRange(v, first, Math.min(v.length, first + size))));
      }
    }
  }
}
