package org.clipmsm.ridge;

import java.io.Serializable;
import java.util.List;
import org.clipmsm.InvalidParameterException;

/**
 * How to split n images, as a value that travels with a pipeline before n is known: the test rows (seeded
 * scikit-learn-style shuffle split, the 40-piece learning-curve scheme, or explicit rows) and the validation folds
 * inside the training rows (seeded hold-out, K-fold, or explicit rows). Immutable; {@code withX} returns a copy.
 */
public final class SplitSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final double testFraction;
  private final int trainPieces;
  private final long[] testIndex;
  private final String testIndexSource;
  private final double valFraction;
  private final int folds;
  private final long[] valIndex;
  private final String valIndexSource;

  private SplitSpec(long seed, double testFraction, int trainPieces, long[] testIndex, String testIndexSource,
      double valFraction, int folds, long[] valIndex, String valIndexSource) {
    this.seed = seed;
    this.testFraction = testFraction;
    this.trainPieces = trainPieces;
    this.testIndex = testIndex;
    this.testIndexSource = testIndexSource;
    this.valFraction = valFraction;
    this.folds = folds;
    this.valIndex = valIndex;
    this.valIndexSource = valIndexSource;
  }

  /** The paper's defaults: seed 42, 15% test, 15% of the training rows held out for validation. */
  public static SplitSpec defaults() {
    return new SplitSpec(42, 0.15, 0, null, null, 0.15, 0, null, null);
  }

  /** {@code s}: a seed of NumPy's RandomState, 0 .. 2^32 - 1. */
  public SplitSpec withSeed(long s) {
    InvalidParameterException.require(s >= 0 && s <= 0xFFFFFFFFL, "seed", "expected a NumPy RandomState seed, 0 .."
        + " 4294967295, got " + s);
    return new SplitSpec(s, testFraction, trainPieces, testIndex, testIndexSource, valFraction, folds, valIndex,
        valIndexSource);
  }

  public SplitSpec withTestFraction(double f) {
    return new SplitSpec(seed, f, 0, null, null, valFraction, folds, valIndex, valIndexSource);
  }

  /** The learning-curve scheme: 40 seeded pieces, test = the last 6, training = the first {@code pieces}. */
  public SplitSpec withTrainPieces(int pieces) {
    return new SplitSpec(seed, testFraction, pieces, null, null, valFraction, folds, valIndex, valIndexSource);
  }

  /** Exactly these test rows; all other rows train. {@code source} names them in errors. */
  public SplitSpec withTestIndex(long[] rows, String source) {
    return new SplitSpec(seed, testFraction, 0, rows.clone(), source, valFraction, folds, valIndex, valIndexSource);
  }

  public SplitSpec withValFraction(double f) {
    return new SplitSpec(seed, testFraction, trainPieces, testIndex, testIndexSource, f, 0, null, null);
  }

  /** K-fold cross-validation over the training rows instead of one hold-out. */
  public SplitSpec withFolds(int k) {
    return new SplitSpec(seed, testFraction, trainPieces, testIndex, testIndexSource, valFraction, k, null, null);
  }

  /** Exactly these validation rows (training rows); the other training rows fit. */
  public SplitSpec withValIndex(long[] rows, String source) {
    return new SplitSpec(seed, testFraction, trainPieces, testIndex, testIndexSource, valFraction, 0, rows.clone(),
        source);
  }

  public long seed() {
    return seed;
  }

  public double testFraction() {
    return testFraction;
  }

  public double valFraction() {
    return valFraction;
  }

  /** The split of n rows. */
  public DataSplit toSplit(int n) {
    int[][] tt;
    if (testIndex != null) {
      tt = DataSplit.fromTestRows(n, testIndex, testIndexSource);
    } else if (trainPieces > 0) {
      tt = DataSplit.pieces(n, seed, trainPieces);
    } else {
      tt = DataSplit.seeded(n, testFraction, seed);
    }
    List<Fold> f;
    if (valIndex != null) {
      f = DataSplit.explicitValidation(n, tt[0], valIndex, valIndexSource);
    } else if (folds > 0) {
      f = DataSplit.kFold(tt[0], folds);
    } else {
      f = DataSplit.holdOut(tt[0], valFraction, seed);
    }
    return new DataSplit(n, tt[0], tt[1], f);
  }
}
