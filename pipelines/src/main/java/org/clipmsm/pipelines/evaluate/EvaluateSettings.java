package org.clipmsm.pipelines.evaluate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The paper's comparisons computed from a run directory ({@link EvaluateJob}; docs/evaluation.md). The layout, the
 * outputs and their constants (50 x 50 histogram bins over [0, 100], the 40 learning-curve pieces) are fixed by the
 * spec; the result is the directory {@code run/evaluation}.
 *
 * @param run the run directory: labels.txt, text.npy, concepts.txt, concepts_text.npy, models.txt and one directory
 *     per subject
 */
public record EvaluateSettings(Path run) {
  /** The result directory's name inside the run. */
  public static final String OUT = "evaluation";
  /** Bins per axis of the histogram of 100 R^2 against the noise ceiling (Fig. 2). */
  public static final int HISTOGRAM_BINS = 50;
  /** The histogram's range on both axes, in percent. */
  public static final double HISTOGRAM_LO = 0;
  public static final double HISTOGRAM_HI = 100;
  /** The learning-curve scheme's pieces (fit's trainPieces: the permutation cut into 40, test = the last 6). */
  public static final int LEARNING_PIECES = 40;
  public static final int LEARNING_TEST_PIECES = 6;

  public EvaluateSettings {
    Objects.requireNonNull(run, "run");
  }

  public static EvaluateSettings of(Path run) {
    return new EvaluateSettings(run);
  }

  /** The result directory, {@code run/evaluation}. */
  public Path out() {
    return run.resolve(OUT);
  }
}
