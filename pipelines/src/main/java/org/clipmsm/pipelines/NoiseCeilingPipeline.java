package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.beam.ComputeNoiseCeiling;
import org.clipmsm.beam.VoxelValues;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.pipelines.output.WriteNpy;

/**
 * The noise ceiling in percent of explainable variance per voxel, from ncsnr (docs/method.md §3.4), written as a
 * float64 {@code (voxels,)} .npy.
 *
 * <pre>{@code
 * int voxels = NoiseCeilingPipeline.run(options,
 *     NoiseCeilingSettings.of(Path.of("ncsnr.npy"), AveragedTrials.of(3), Path.of("nc.npy")));
 * }</pre>
 */
public final class NoiseCeilingPipeline implements StagedPipeline<PCollection<VoxelValues>, Integer> {
  private final NoiseCeilingSettings settings;
  private final int voxels;

  private NoiseCeilingPipeline(NoiseCeilingSettings settings, int voxels) {
    this.settings = settings;
    this.voxels = voxels;
  }

  /** Checks the ncsnr file. */
  public static NoiseCeilingPipeline of(NoiseCeilingSettings s) {
    return new NoiseCeilingPipeline(s, Inputs.ncsnr(s.ncsnr(), 0, null).length);
  }

  /** Runs the pipeline and commits its file; returns the number of voxels. */
  public static int run(PipelineOptions options, NoiseCeilingSettings s) {
    return PipelineRuns.toFile(options, s.out(), of(s));
  }

  @Override
  public List<Path> inputs() {
    return List.of(settings.ncsnr());
  }

  /** @param out the staged result file */
  @Override
  public PCollection<VoxelValues> expand(StageGraph graph, Path out) {
    NpyRanges.createVector(out, voxels);
    PCollection<VoxelValues> nc = graph.begin("ncsnr", Create.of(settings.ncsnr().toString()))
        .apply("Blocks", ParDo.of(WriteNpy.vectorBlocks(settings.voxelsPerBlock())))
        .setCoder(VoxelValues.Coder.of())
        .apply("Noise ceiling", ComputeNoiseCeiling.of(settings.trials()));
    graph.wrote(nc.apply("Write", ParDo.of(WriteNpy.values(out))));
    return nc;
  }

  @Override
  public Integer finish(Path out) {
    return voxels;
  }
}
