package org.clipmsm.ridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;

/**
 * The intercept of the uncentred model (prediction = X W + intercept) for every kind of split: against the
 * definition computed here by brute force, against the solver's own test predictions, and against scikit-learn's
 * closed form with an unpenalised intercept (no centring at all).
 */
class RidgeInterceptTest {
  private static final int N = 200;
  private static final double[] ALPHAS = AlphaGrid.logspace(-3, 5, 33);

  private static void assertIntercepts(double[][] x, double[][] y, DataSplit split) {
    RidgeDecomposition d = RidgeDecomposition.compute(Matrix.fromRows(x), split, ALPHAS);
    RidgeBlockResult res = RidgeSolver.solve(d, 0, Matrix.fromRows(y));
    int p = x[0].length;
    int[] train = split.trainRows();

    // (a) The feature means: a plain average of the training rows, the same vector as the decomposition's.
    double[] mx = new double[p];
    for (int k = 0; k < p; k++) {
      double s = 0;
      for (int r : train) {
        s += x[r][k];
      }
      mx[k] = s / train.length;
    }
    for (int k = 0; k < p; k++) {
      assertEquals(mx[k], res.featureMean()[k], 1e-13 * Math.abs(mx[k]), "feature mean " + k);
    }
    assertArrayEquals(d.trainFeatureMean(), res.featureMean(), 0);

    Matrix xTest = Matrix.fromRows(x).selectRows(split.testRows());
    Matrix predicted = EncodingPrediction.predict(xTest, res.weights(), res.intercept());
    double furthestFromBias = 0;
    for (int v = 0; v < y[0].length; v++) {
      // (a) intercept = mean_y - mean_X . W over the training rows, W the solver's weights.
      double my = 0;
      for (int r : train) {
        my += y[r][v];
      }
      my /= train.length;
      double dot = 0;
      double scale = Math.abs(my);
      for (int k = 0; k < p; k++) {
        dot += mx[k] * res.weights().get(k, v);
        scale += Math.abs(mx[k] * res.weights().get(k, v));
      }
      assertEquals(my - dot, res.intercept()[v], 1e-12 * scale, "voxel " + v + " intercept");
      furthestFromBias = Math.max(furthestFromBias, Math.abs(res.intercept()[v] - res.bias()[v]) / scale);

      // (b) Raw test features times W plus the intercept reproduce the solver's test predictions.
      for (int i = 0; i < xTest.rows(); i++) {
        double want = res.testPredictions().get(i, v);
        assertEquals(want, predicted.get(i, v), 1e-10 * (1 + Math.abs(want)), "voxel " + v + " test row " + i);
      }

      // (c) scikit-learn's Ridge(fit_intercept=True) at the chosen alpha, by its uncentred closed form.
      double[] sk = BruteForceRidge.fitWithUnpenalisedIntercept(x, BruteForceRidge.column(y, v), train,
          res.alpha()[v]);
      double wScale = 0;
      for (int k = 0; k < p; k++) {
        wScale = Math.max(wScale, Math.abs(sk[k]));
      }
      for (int k = 0; k < p; k++) {
        assertEquals(sk[k], res.weights().get(k, v), 1e-8 * wScale, "voxel " + v + " weight " + k);
      }
      assertEquals(sk[p], res.intercept()[v], 1e-8 * scale, "voxel " + v + " intercept vs closed form");
    }
    // Not vacuous: for the voxels with strong weights the intercept is far from the bias (mean of y) it replaces,
    // so returning the bias, or a mean over the wrong rows, could not pass the tolerances above.
    assertTrue(furthestFromBias > 0.01, "largest |intercept - bias| / scale: " + furthestFromBias);
  }

  private static double[][][] problem() {
    return RidgeSolverTest.problem(N, 12, 7, 21);
  }

  @Test
  void holdOut() {
    double[][][] xy = problem();
    DataSplit split = SplitSpec.defaults().withSeed(7).toSplit(N);
    assertEquals(1, split.folds().size());
    assertIntercepts(xy[0], xy[1], split);
  }

  @Test
  void kFold() {
    double[][][] xy = problem();
    DataSplit split = SplitSpec.defaults().withFolds(5).toSplit(N);
    assertEquals(5, split.folds().size());
    assertIntercepts(xy[0], xy[1], split);
  }

  @Test
  void explicitTestAndValidationRows() {
    double[][][] xy = problem();
    long[] test = IntStream.range(0, N).filter(i -> i % 7 == 3).asLongStream().toArray();
    long[] val = IntStream.range(0, N).filter(i -> i % 7 != 3 && i % 5 == 1).asLongStream().toArray();
    DataSplit split = SplitSpec.defaults().withTestIndex(test, "test_index.npy").withValIndex(val, "val_index.npy")
        .toSplit(N);
    assertEquals(test.length, split.testRows().length);
    assertIntercepts(xy[0], xy[1], split);
  }

  @Test
  void trainPieces() {
    double[][][] xy = problem();
    // 200 rows in 40 pieces of 5: 20 pieces train (100 rows), the last 6 test (30 rows), 70 rows in neither.
    DataSplit split = SplitSpec.defaults().withTrainPieces(20).toSplit(N);
    assertEquals(100, split.trainRows().length);
    assertEquals(30, split.testRows().length);
    assertIntercepts(xy[0], xy[1], split);
  }

  @Test
  void moreFeaturesThanTrainingRows() {
    double[][][] xy = RidgeSolverTest.problem(60, 70, 3, 22);
    assertIntercepts(xy[0], xy[1], SplitSpec.defaults().toSplit(60));
  }

  @Test
  void undefinedVoxelGetsNanInterceptAndConstantVoxelItsValue() {
    double[][][] xy = RidgeSolverTest.problem(100, 6, 3, 23);
    double[][] y = xy[1];
    for (double[] row : y) {
      row[1] = 7.0;
    }
    y[5][2] = Double.NaN;
    DataSplit split = SplitSpec.defaults().toSplit(100);
    RidgeBlockResult res = RidgeSolver.solve(RidgeDecomposition.compute(Matrix.fromRows(xy[0]), split, ALPHAS), 0,
        Matrix.fromRows(y));
    assertTrue(Double.isFinite(res.intercept()[0]), "ordinary voxel");
    assertEquals(7.0, res.intercept()[1], 1e-12, "a constant response is its own intercept");
    assertTrue(Double.isNaN(res.intercept()[2]), "non-finite responses: NaN, not 0");
    Matrix pred = EncodingPrediction.predict(Matrix.fromRows(xy[0]), res.weights(), res.intercept());
    for (int i = 0; i < pred.rows(); i++) {
      assertTrue(Double.isNaN(pred.get(i, 2)), "row " + i);
      assertEquals(7.0, pred.get(i, 1), 1e-12, "row " + i);
    }
  }

  @Test
  void blocksShareTheFeatureMeanAndAgreeWithTheWhole() {
    double[][][] xy = problem();
    DataSplit split = SplitSpec.defaults().toSplit(N);
    RidgeDecomposition d = RidgeDecomposition.compute(Matrix.fromRows(xy[0]), split, ALPHAS);
    Matrix y = Matrix.fromRows(xy[1]);
    RidgeBlockResult whole = RidgeSolver.solve(d, 0, y);
    RidgeBlockResult tail = RidgeSolver.solve(d, 4, y.selectColumns(4, 3));
    assertArrayEquals(whole.featureMean(), tail.featureMean(), 0);
    for (int j = 0; j < 3; j++) {
      assertEquals(whole.intercept()[4 + j], tail.intercept()[j], 1e-10 * (1 + Math.abs(whole.intercept()[4 + j])));
    }
    // The result's feature means are its own copy: changing them leaves the shared decomposition alone.
    tail.featureMean()[0] += 1;
    assertArrayEquals(whole.featureMean(), d.trainFeatureMean(), 0);
  }
}
