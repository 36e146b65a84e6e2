package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code prepare nod} ({@link PrepareNodPipeline}). */
public interface PrepareNodOptions extends CommonOptions, SubjectSettings {
  @Description("NOD dataset root (holding derivatives/ciftify/, and sub-XX/ with the BIDS events)")
  @Validation.Required
  String getNodRoot();

  void setNodRoot(String v);
}
