package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of bootstrap significance and FDR ({@link SignificancePipeline}). */
public interface SignificanceOptions extends CommonOptions {
  @Description("Test predictions, .npy (test rows x voxels)")
  String getPred();

  void setPred(String v);

  @Description("Measured test responses, .npy (test rows x voxels, rows as in --pred)")
  String getActual();

  void setActual(String v);

  @Description("Precomputed p-values, .npy (voxels,): skip the bootstrap and only adjust")
  String getPValues();

  void setPValues(String v);

  @Description("Bootstrap resamples")
  @Default.Integer(2000)
  int getBootstraps();

  void setBootstraps(int v);

  @Description("Seed of the resamples (NumPy RandomState semantics)")
  @Default.Long(41)
  long getBootstrapSeed();

  void setBootstrapSeed(long v);

  @Description("False discovery rate level")
  @Default.Double(0.05)
  double getQ();

  void setQ(double v);

}
