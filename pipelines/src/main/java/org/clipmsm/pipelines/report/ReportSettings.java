package org.clipmsm.pipelines.report;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;

/**
 * What {@link ReportJob} draws from: a run directory (docs/evaluation.md §1) whose {@code evaluation/} holds the
 * outputs of {@code evaluate}, and where the report goes.
 *
 * @param run the run directory
 * @param out the report directory ({@code run/report} by default); replaced as a whole
 * @param slices at most this many axial slices per brain map in Fig. 5
 * @param name the run's name in the title, or null for the run directory's name (a study that reports its run
 *     while it is staged under a hidden name gives the name it will have)
 */
public record ReportSettings(Path run, Path out, int slices, String name) {
  public static final String EVALUATION = "evaluation";
  public static final String REPORT = "report";
  public static final int DEFAULT_SLICES = 8;
  public static final int MAX_SLICES = 24;

  public ReportSettings {
    Objects.requireNonNull(run, "run");
    if (out == null) {
      out = run.resolve(REPORT);
    }
    InvalidParameterException.require(slices >= 1 && slices <= MAX_SLICES, "slices",
        "expected 1 to " + MAX_SLICES + " axial slices per map, got " + slices);
  }

  /** The defaults: the report in {@code run/report}, {@value #DEFAULT_SLICES} slices per map. */
  public static ReportSettings of(Path run) {
    return new ReportSettings(run, null, DEFAULT_SLICES, null);
  }

  public ReportSettings withOut(Path dir) {
    return new ReportSettings(run, dir, slices, name);
  }

  public ReportSettings withSlices(int n) {
    return new ReportSettings(run, out, n, name);
  }

  public ReportSettings withName(String n) {
    return new ReportSettings(run, out, slices, n);
  }

  /** {@code run/evaluation}: what the report reads. */
  public Path evaluation() {
    return run.resolve(EVALUATION);
  }
}
