package org.clipmsm.pipelines;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ComputeNoiseCeiling;
import org.clipmsm.beam.VoxelValues;
import org.clipmsm.io.Npy;

/** {@code clipmsm noise-ceiling}: NC (% explainable variance) per voxel from ncsnr, written as a float64 .npy. */
public final class NoiseCeilingPipeline {
  private NoiseCeilingPipeline() {}

  public static int run(NoiseCeilingOptions o) {
    ComputeNoiseCeiling transform = transform(o);
    Path ncsnr = Path.of(o.getNcsnr());
    int voxels = Npy.readVector(ncsnr).length;
    Path target = Path.of(o.getOut()).toAbsolutePath();
    String name = target.getFileName().toString();
    try (OutputDirectory out = OutputDirectory.open(target.getParent(), "noise-ceiling")) {
      NpyVectorRange.create(out.file(name), voxels);
      Pipeline pipeline = Pipeline.create(o);
      pipeline.apply("ncsnr", Create.of(o.getNcsnr()))
          .apply("Blocks", ParDo.of(new SignificancePipeline.VectorBlocks(o.getVoxelsPerBlock(), null, null)))
          .setCoder(VoxelValues.Coder.of())
          .apply("Noise ceiling", transform)
          .apply("Write", ParDo.of(new SignificancePipeline.WriteValues(out.staging().toString(), name)));
      pipeline.run().waitUntilFinish();
      out.commit();
    }
    return voxels;
  }

  static ComputeNoiseCeiling transform(NoiseCeilingSettings o) {
    if (o.getNcsnr() == null) {
      throw new InvalidInputException("noise-ceiling: --ncsnr is required");
    }
    boolean counts = o.getTrialCounts() != null;
    if (counts == (o.getTrials() > 0)) {
      throw new InvalidInputException("noise-ceiling: give exactly one of --trials n and --trial-counts A,B,C");
    }
    if (!counts) {
      return ComputeNoiseCeiling.forTrials(o.getTrials());
    }
    String[] parts = o.getTrialCounts().split(",");
    if (parts.length != 3) {
      throw new InvalidInputException("--trial-counts: expected A,B,C (images with 3, 2, 1 trials), got '"
          + o.getTrialCounts() + "'");
    }
    try {
      return ComputeNoiseCeiling.forTrialCounts(Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()),
          Long.parseLong(parts[2].trim()));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("--trial-counts: expected three whole numbers A,B,C, got '"
          + o.getTrialCounts() + "'");
    }
  }
}
