package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Bootstrap significance and FDR settings, shared by {@code significance} and {@code fit --significance}. */
public interface BootstrapSettings extends PipelineOptions {
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
