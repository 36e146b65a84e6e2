package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code prepare nsd} ({@link PrepareNsdPipeline}). */
public interface PrepareNsdOptions extends CommonOptions, SubjectSettings {
  @Description("NSD dataset root (holding nsddata/, nsddata_betas/, nsddata_stimuli/)")
  @Validation.Required
  String getNsdRoot();

  void setNsdRoot(String v);

  @Description("ROI files under roi/ (or paths to user masks such as a food region), comma-separated")
  @Default.String("floc-faces,floc-bodies,floc-places,floc-words")
  String getRois();

  void setRois(String v);

  @Description("Z-score betas within each session or each run")
  @Default.String("session")
  String getZscore();

  void setZscore(String v);
}
