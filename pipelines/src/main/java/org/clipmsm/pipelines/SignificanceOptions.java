package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Description;

/** Options of bootstrap significance and FDR ({@link SignificancePipeline}). */
public interface SignificanceOptions extends CommonOptions, BootstrapSettings {
  @Description("Test predictions, .npy (test rows x voxels)")
  String getPred();

  void setPred(String v);

  @Description("Measured test responses, .npy (test rows x voxels, rows as in --pred)")
  String getActual();

  void setActual(String v);

  @Description("Precomputed p-values, .npy (voxels,): skip the bootstrap and only adjust")
  String getPValues();

  void setPValues(String v);
}
