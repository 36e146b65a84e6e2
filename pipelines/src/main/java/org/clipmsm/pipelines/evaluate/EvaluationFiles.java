package org.clipmsm.pipelines.evaluate;

/**
 * The names of what {@code evaluate} writes in {@code RUN/evaluation/} (docs/evaluation.md §3), for {@link
 * EvaluateJob} and for whoever reads them (the report).
 */
public final class EvaluationFiles {
  public static final String FIG2_VOXELS = "fig2_voxels.csv";
  public static final String FIG2_R2 = "fig2_r2.csv";
  public static final String FIG2_TTEST = "fig2_ttest.csv";
  public static final String FIG2_LEARNING = "fig2_learning.csv";
  public static final String FIG2_HISTOGRAM = "fig2_histogram.csv";
  public static final String FIG3_VOXELS = "fig3_voxels.csv";
  public static final String FIG3_TTEST = "fig3_ttest.csv";
  public static final String FIG4_COUNTS = "fig4_counts.csv";
  public static final String FIG4_PROBES = "fig4_probes.csv";
  public static final String FIG6_R = "fig6_r.csv";
  public static final String FIG6_VOXELS = "fig6_voxels.csv";
  public static final String FIG6_TTEST = "fig6_ttest.csv";
  /** The brain maps of Fig. 5, a directory. */
  public static final String MAPS = "maps";
  public static final String PARAMETERS = "parameters.csv";

  private EvaluationFiles() {}
}
