package org.clipmsm.ridge;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.random.NumpyRandomState;

/**
 * Which rows (images) train and which test, and the validation folds inside the training rows that choose each
 * voxel's alpha (docs/method.md §2). All row numbers index the features and responses matrices.
 *
 * <p>The seeded splits reproduce scikit-learn's {@code train_test_split(..., test_size=f, random_state=seed)} row
 * for row (test = the first ceil(f n) entries of {@code RandomState(seed).permutation(n)}, train = the rest, in
 * that order), which is what the CLIP-MSM code calls with seed 42.
 */
public record DataSplit(int rows, int[] trainRows, int[] testRows, List<Fold> folds) implements Serializable {

  /** Fewest test rows for which R^2 and its bootstrap mean anything. */
  public static final int MIN_TEST_ROWS = 3;

  /** Pieces of the learning-curve scheme: the shuffled rows cut into 40 pieces, test = the last 6. */
  public static final int PIECES = 40;
  public static final int TEST_PIECES = 6;

  public DataSplit {
    if (testRows.length < MIN_TEST_ROWS) {
      throw new InvalidInputException("split: " + testRows.length + " test rows; need at least " + MIN_TEST_ROWS);
    }
    for (Fold f : folds) {
      if (f.fitRows().length < 2 || f.valRows().length < 1) {
        throw new InvalidParameterException("valFraction/folds", "a validation fold has " + f.fitRows().length
            + " fitting rows and " + f.valRows().length + " validation rows; need at least 2 and 1 (more training"
            + " rows, or another validation fraction or number of folds)");
      }
    }
  }

  /**
   * {train, test}: the first ceil(fraction * n) entries of the seeded permutation test, the rest train, in that
   * (scikit-learn's) order. Folds still to be chosen.
   */
  public static int[][] seeded(int n, double testFraction, long seed) {
    return shuffleSplit(n, testFraction, seed, "testFraction");
  }

  private static int[][] shuffleSplit(int n, double fraction, long seed, String parameter) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new InvalidParameterException(parameter, "expected a number in (0, 1), got " + fraction);
    }
    int nHeld = (int) Math.ceil(fraction * n);
    int[] perm = new NumpyRandomState(seed).permutation(n);
    return new int[][] {Arrays.copyOfRange(perm, nHeld, n), Arrays.copyOfRange(perm, 0, nHeld)};
  }

  /**
   * The learning-curve scheme of the CLIP-MSM code: the seeded permutation of n rows cut into 40 pieces
   * ({@code np.array_split}: the first n % 40 pieces one row longer), test = the last 6 pieces, training = the first
   * {@code trainPieces} (5..34).
   */
  public static int[][] pieces(int n, long seed, int trainPieces) {
    if (trainPieces < 1 || trainPieces > PIECES - TEST_PIECES) {
      throw new InvalidParameterException("trainPieces", "expected 1.." + (PIECES - TEST_PIECES) + ", got "
          + trainPieces);
    }
    int[] perm = new NumpyRandomState(seed).permutation(n);
    int[] bounds = arraySplitBounds(n, PIECES);
    int[] train = Arrays.copyOfRange(perm, 0, bounds[trainPieces]);
    int[] test = Arrays.copyOfRange(perm, bounds[PIECES - TEST_PIECES], n);
    return new int[][] {train, test};
  }

  /** Given test rows, every other row trains, in ascending order. */
  public static int[][] fromTestRows(int n, long[] testIndex, String source) {
    boolean[] isTest = markRows(n, testIndex, source);
    int[] test = new int[testIndex.length];
    for (int i = 0; i < test.length; i++) {
      test[i] = (int) testIndex[i];
    }
    int[] train = complement(isTest, n);
    if (train.length < 3) {
      throw new InvalidInputException(source + ": " + test.length + " test rows leave " + train.length + " of " + n
          + " rows to train on (expected at least 3: 2 to fit and 1 to choose alpha)");
    }
    return new int[][] {train, test};
  }

  /** One hold-out fold: the first ceil(fraction * nTrain) of the seeded permutation of the training rows validate. */
  public static List<Fold> holdOut(int[] trainRows, double valFraction, long seed) {
    int[][] parts = shuffleSplit(trainRows.length, valFraction, seed, "valFraction");
    return List.of(new Fold(pick(trainRows, parts[0]), pick(trainRows, parts[1])));
  }

  /**
   * K folds over the training rows in their order (scikit-learn's KFold without shuffling; the training order is
   * already shuffled): fold i validates on the i-th contiguous chunk, the first nTrain % K chunks one row longer.
   */
  public static List<Fold> kFold(int[] trainRows, int k) {
    if (k < 2 || k > trainRows.length) {
      throw new InvalidParameterException("folds", "expected 2.." + trainRows.length + ", got " + k);
    }
    int[] bounds = arraySplitBounds(trainRows.length, k);
    List<Fold> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      int[] val = Arrays.copyOfRange(trainRows, bounds[f], bounds[f + 1]);
      int[] fit = new int[trainRows.length - val.length];
      System.arraycopy(trainRows, 0, fit, 0, bounds[f]);
      System.arraycopy(trainRows, bounds[f + 1], fit, bounds[f], trainRows.length - bounds[f + 1]);
      folds.add(new Fold(fit, val));
    }
    return folds;
  }

  /** An explicit validation set: those rows validate, the other training rows fit (in training order). */
  public static List<Fold> explicitValidation(int n, int[] trainRows, long[] valIndex, String source) {
    boolean[] isVal = markRows(n, valIndex, source);
    boolean[] isTrain = new boolean[n];
    for (int r : trainRows) {
      isTrain[r] = true;
    }
    int[] val = new int[valIndex.length];
    for (int i = 0; i < val.length; i++) {
      if (!isTrain[(int) valIndex[i]]) {
        throw new InvalidInputException(source + ": row " + valIndex[i] + " is a test row; validation rows must be"
            + " training rows");
      }
      val[i] = (int) valIndex[i];
    }
    int[] fit = Arrays.stream(trainRows).filter(r -> !isVal[r]).toArray();
    return List.of(new Fold(fit, val));
  }

  private static boolean[] markRows(int n, long[] index, String source) {
    boolean[] seen = new boolean[n];
    for (long r : index) {
      if (r < 0 || r >= n) {
        throw new InvalidInputException(source + ": row index " + r + " is out of range (expected 0.." + (n - 1) + ")");
      }
      if (seen[(int) r]) {
        throw new InvalidInputException(source + ": row index " + r + " appears twice");
      }
      seen[(int) r] = true;
    }
    return seen;
  }

  private static int[] complement(boolean[] marked, int n) {
    int[] out = new int[n];
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (!marked[i]) {
        out[c++] = i;
      }
    }
    return Arrays.copyOf(out, c);
  }

  private static int[] pick(int[] rows, int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows[positions[i]];
    }
    return out;
  }

  /** np.array_split boundaries: n items into k pieces, the first n % k pieces one longer. */
  static int[] arraySplitBounds(int n, int k) {
    int[] bounds = new int[k + 1];
    int base = n / k;
    int extra = n % k;
    for (int i = 0; i < k; i++) {
      bounds[i + 1] = bounds[i] + base + (i < extra ? 1 : 0);
    }
    return bounds;
  }
}
