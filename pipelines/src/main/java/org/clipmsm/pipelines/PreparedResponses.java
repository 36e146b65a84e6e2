package org.clipmsm.pipelines;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.VoxelBlock;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.pipelines.output.WriteNpy;

/** {@code responses.npy} of a prepared subject: images x voxels float32, each reader's block written in place. */
final class PreparedResponses {
  static final String FILE = "responses.npy";

  private PreparedResponses() {}

  /** Applies {@code read} and writes its blocks into {@code out/responses.npy}; returns the blocks. */
  static PCollection<VoxelBlock> write(StageGraph graph, String name,
      PTransform<PBegin, PCollection<VoxelBlock>> read, Path out, int images, int voxels, Progress.Stage progress) {
    NpyRanges.createMatrix(out.resolve(FILE), images, voxels, Npy.DType.FLOAT32);
    // The subject's files are the dataset's, never another step's output: nothing to wait for.
    PCollection<VoxelBlock> responses = graph.pipeline().apply(name, read);
    graph.wrote(responses.apply("Write responses", ParDo.of(WriteNpy.columns(out.resolve(FILE), progress))));
    return responses;
  }
}
