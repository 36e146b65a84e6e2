package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Options every clipmsm pipeline has. Beam requires one definition per property name across all registered option
 * interfaces, so shared names live here.
 */
public interface CommonOptions extends PipelineOptions {
  @Description("Output: a directory (fit, significance) or a .npy file (noise-ceiling)")
  @Validation.Required
  String getOut();

  void setOut(String v);

  @Description("Voxels per block: the unit of parallel work")
  @Default.Integer(1024)
  int getVoxelsPerBlock();

  void setVoxelsPerBlock(int v);
}
