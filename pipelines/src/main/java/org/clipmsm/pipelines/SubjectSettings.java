package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The dataset subject, shared by {@code prepare nsd} and {@code prepare nod} (one definition per property name). */
public interface SubjectSettings extends PipelineOptions {
  @Description("Subject number (NSD 1..8, NOD 1..30)")
  @Default.Integer(1)
  int getSubject();

  void setSubject(int v);
}
