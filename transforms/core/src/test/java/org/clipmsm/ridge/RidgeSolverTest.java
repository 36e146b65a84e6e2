package org.clipmsm.ridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;

class RidgeSolverTest {

  /** Images x features, and voxels whose noise levels differ widely so that their best alphas differ. */
  static double[][][] problem(int n, int p, int voxels, long seed) {
    Random rnd = new Random(seed);
    double[][] x = new double[n][p];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < p; k++) {
        // Correlated features with a non-zero mean, as embeddings are.
        x[i][k] = 0.5 + rnd.nextGaussian() + (k > 0 ? 0.6 * x[i][k - 1] : 0);
      }
    }
    double[][] y = new double[n][voxels];
    for (int v = 0; v < voxels; v++) {
      double[] w = new double[p];
      for (int k = 0; k < p; k++) {
        w[k] = rnd.nextGaussian() * (v % 2 == 0 ? 1 : 0.05);
      }
      double noise = Math.pow(10, -1 + 3.0 * v / Math.max(1, voxels - 1));
      for (int i = 0; i < n; i++) {
        double s = 3.0 + v;
        for (int k = 0; k < p; k++) {
          s += w[k] * x[i][k];
        }
        y[i][v] = s + noise * rnd.nextGaussian();
      }
    }
    return new double[][][] {x, y};
  }

  private static DataSplit holdOutSplit(int n, long seed) {
    int[][] tt = DataSplit.seeded(n, 0.15, seed);
    return new DataSplit(n, tt[0], tt[1], DataSplit.holdOut(tt[0], 0.15, seed));
  }

  private static void assertMatchesBruteForce(double[][] x, double[][] y, DataSplit split, double[] alphas) {
    RidgeDecomposition d = RidgeDecomposition.compute(Matrix.fromRows(x), split, alphas);
    RidgeBlockResult res = RidgeSolver.solve(d, 0, Matrix.fromRows(y));
    int p = x[0].length;
    double[] mx = new double[p];
    for (int r : split.trainRows()) {
      for (int k = 0; k < p; k++) {
        mx[k] += x[r][k] / split.trainRows().length;
      }
    }
    for (int v = 0; v < y[0].length; v++) {
      double[] yv = BruteForceRidge.column(y, v);
      int best = 0;
      double bestSse = Double.POSITIVE_INFINITY;
      double[] sse = new double[alphas.length];
      for (int a = 0; a < alphas.length; a++) {
        sse[a] = BruteForceRidge.validationSse(x, yv, split.folds(), alphas[a]);
        if (sse[a] < bestSse) {
          bestSse = sse[a];
          best = a;
        }
      }
      // The chosen alpha is the brute-force argmin, or within rounding of it.
      int chosen = java.util.Arrays.binarySearch(alphas, res.alpha()[v]);
      assertTrue(chosen == best || Math.abs(sse[chosen] - bestSse) <= 1e-9 * bestSse,
          "voxel " + v + ": chose alpha " + res.alpha()[v] + ", brute force " + alphas[best]);
      int nVal = split.folds().stream().mapToInt(f -> f.valRows().length).sum();
      assertEquals(bestSse / nVal, res.validationMse()[v], 1e-8 * bestSse / nVal);
      double[] model = BruteForceRidge.fit(x, yv, split.trainRows(), res.alpha()[v]);
      double scale = 0;
      for (int k = 0; k < p; k++) {
        scale = Math.max(scale, Math.abs(model[k]));
      }
      for (int k = 0; k < p; k++) {
        assertEquals(model[k], res.weights().get(k, v), 1e-8 * scale, "voxel " + v + " weight " + k);
      }
      double trainMean = 0;
      for (int r : split.trainRows()) {
        trainMean += yv[r] / split.trainRows().length;
      }
      assertEquals(trainMean, res.bias()[v], 1e-12 * Math.abs(trainMean));
      // The normal equations' own intercept of the uncentred model, my - mx . w.
      double interceptScale = Math.abs(trainMean);
      for (int k = 0; k < p; k++) {
        interceptScale += Math.abs(mx[k] * model[k]);
      }
      assertEquals(model[p], res.intercept()[v], 1e-8 * interceptScale, "voxel " + v + " intercept");
      int nt = split.testRows().length;
      double[] yt = new double[nt];
      double[] pt = new double[nt];
      for (int i = 0; i < nt; i++) {
        int row = split.testRows()[i];
        yt[i] = yv[row];
        pt[i] = BruteForceRidge.predict(model, x[row]);
        assertEquals(pt[i], res.testPredictions().get(i, v), 1e-8 * (1 + Math.abs(pt[i])));
      }
      org.apache.commons.math3.stat.descriptive.moment.Variance var =
          new org.apache.commons.math3.stat.descriptive.moment.Variance(false);
      double mse = 0;
      for (int i = 0; i < nt; i++) {
        mse += (yt[i] - pt[i]) * (yt[i] - pt[i]) / nt;
      }
      assertEquals(1 - mse / var.evaluate(yt), res.r2()[v], 1e-8);
      assertEquals(new org.apache.commons.math3.stat.correlation.PearsonsCorrelation().correlation(yt, pt),
          res.r()[v], 1e-8);
    }
  }

  @Test
  void holdOutMatchesNormalEquationsAndBruteForceAlphaSearch() {
    double[][][] xy = problem(200, 12, 9, 1);
    double[] alphas = AlphaGrid.logspace(-3, 5, 33);
    assertMatchesBruteForce(xy[0], xy[1], holdOutSplit(200, 42), alphas);
  }

  @Test
  void chosenAlphasDifferAcrossNoiseLevels() {
    double[][][] xy = problem(200, 12, 9, 1);
    double[] alphas = AlphaGrid.logspace(-3, 5, 33);
    DataSplit split = holdOutSplit(200, 42);
    RidgeBlockResult res = RidgeSolver.solve(RidgeDecomposition.compute(Matrix.fromRows(xy[0]), split, alphas), 0,
        Matrix.fromRows(xy[1]));
    // A test that checks alphas would pass vacuously if every voxel chose the same one.
    assertTrue(java.util.Arrays.stream(res.alpha()).distinct().count() >= 3, java.util.Arrays.toString(res.alpha()));
  }

  @Test
  void kFoldMatchesBruteForce() {
    double[][][] xy = problem(150, 8, 5, 2);
    int[][] tt = DataSplit.seeded(150, 0.15, 42);
    DataSplit split = new DataSplit(150, tt[0], tt[1], DataSplit.kFold(tt[0], 5));
    assertMatchesBruteForce(xy[0], xy[1], split, AlphaGrid.logspace(-2, 4, 25));
  }

  @Test
  void moreFeaturesThanTrainingImagesMatchesBruteForce() {
    // p > nFit: rank-deficient SVD and a wide validation block (the non-triangular branch).
    double[][][] xy = problem(60, 70, 4, 3);
    assertMatchesBruteForce(xy[0], xy[1], holdOutSplit(60, 42), AlphaGrid.logspace(-1, 4, 11));
  }

  @Test
  void constantAndNonFiniteVoxelsGiveNanNotZero() {
    double[][][] xy = problem(100, 6, 4, 4);
    double[][] y = xy[1];
    for (double[] row : y) {
      row[1] = 7.0;
    }
    y[5][2] = Double.NaN;
    DataSplit split = holdOutSplit(100, 42);
    double[] alphas = AlphaGrid.logspace(-2, 4, 13);
    RidgeDecomposition d = RidgeDecomposition.compute(Matrix.fromRows(xy[0]), split, alphas);
    RidgeBlockResult all = RidgeSolver.solve(d, 0, Matrix.fromRows(y));
    assertTrue(Double.isNaN(all.r2()[1]) && Double.isNaN(all.r()[1]), "constant voxel");
    assertTrue(Double.isNaN(all.r2()[2]) && Double.isNaN(all.alpha()[2]), "NaN voxel");
    assertEquals(2, all.undefinedCount());
    // The other voxels are untouched by their neighbours' NaN.
    double[][] clean = new double[100][2];
    for (int i = 0; i < 100; i++) {
      clean[i][0] = y[i][0];
      clean[i][1] = y[i][3];
    }
    RidgeBlockResult ref = RidgeSolver.solve(d, 0, Matrix.fromRows(clean));
    assertEquals(ref.r2()[0], all.r2()[0], 1e-12);
    assertEquals(ref.r2()[1], all.r2()[3], 1e-12);
    assertEquals(ref.alpha()[1], all.alpha()[3]);
  }

  @Test
  void nonFiniteFeaturesAreRejectedWithTheirPosition() {
    double[][][] xy = problem(50, 3, 1, 5);
    xy[0][7][2] = Double.POSITIVE_INFINITY;
    DataSplit split = holdOutSplit(50, 42);
    var e = org.junit.jupiter.api.Assertions.assertThrows(org.clipmsm.InvalidInputException.class,
        () -> RidgeDecomposition.compute(Matrix.fromRows(xy[0]), split, new double[] {1}));
    assertTrue(e.getMessage().contains("row 7, column 2"), e.getMessage());
  }

  @Test
  void splitsFollowTheDocumentedSchemes() {
    int[][] tt = DataSplit.seeded(10000, 0.15, 42);
    assertEquals(1500, tt[1].length);
    assertEquals(8500, tt[0].length);
    int[][] pieces = DataSplit.pieces(10000, 42, 34);
    assertEquals(8500, pieces[0].length);
    assertEquals(1500, pieces[1].length);
    assertEquals(1250, DataSplit.pieces(10000, 42, 5)[0].length);
    // 1003 rows in 40 pieces: 3 pieces of 26, then 25s; test = last 6 pieces = 150 rows.
    assertEquals(150, DataSplit.pieces(1003, 1, 10)[1].length);
    assertEquals(26 * 3 + 25 * 7, DataSplit.pieces(1003, 1, 10)[0].length);
    List<Fold> folds = DataSplit.kFold(new int[] {9, 8, 7, 6, 5, 4, 3}, 3);
    assertEquals(List.of(9, 8, 7), java.util.Arrays.stream(folds.get(0).valRows()).boxed().toList());
    assertEquals(List.of(6, 5), java.util.Arrays.stream(folds.get(1).valRows()).boxed().toList());
    assertEquals(List.of(9, 8, 7, 6, 5), java.util.Arrays.stream(folds.get(2).fitRows()).boxed().toList());
  }

  @Test
  void alphaGridsFollowTheirFormulas() {
    double[] paper = AlphaGrid.paper();
    assertEquals(100, paper.length);
    assertEquals(1e-8, paper[0], 1e-22);
    assertEquals(1e10, paper[99], 1e-4);
    double[] code = AlphaGrid.code(512);
    assertEquals(Math.pow(10, 0.5 * Math.log10(512) + 8), code[99], 1e-3);
    assertEquals(Math.pow(10, -8 + 1 * (0.5 * Math.log10(512) + 16) / 99), code[1], 1e-20);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.5, 2, 1e3}, AlphaGrid.parse("0.5, 2,1e3", 3));
  }
}
