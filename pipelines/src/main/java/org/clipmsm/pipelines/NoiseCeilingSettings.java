package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Noise-ceiling inputs, shared by {@code noise-ceiling} and {@code fit --ncsnr}. */
public interface NoiseCeilingSettings extends PipelineOptions {
  @Description("Noise-ceiling SNR per voxel, .npy (voxels,)")
  String getNcsnr();

  void setNcsnr(String v);

  @Description("Number of trials averaged per image (0 = use --trial-counts)")
  @Default.Integer(0)
  int getTrials();

  void setTrials(int v);

  @Description("Images with 3, 2 and 1 trials: A,B,C")
  String getTrialCounts();

  void setTrialCounts(String v);
}
