package org.clipmsm.ridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.clipmsm.InvalidInputException;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EncodingPredictionTest {

  private static Matrix random(int rows, int cols, long seed) {
    Random rnd = new Random(seed);
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < m.data().length; i++) {
      m.data()[i] = 1 + rnd.nextGaussian();
    }
    return m;
  }

  private static String rejected(Executable call) {
    String msg = assertThrows(InvalidInputException.class, call).getMessage();
    assertFalse(msg.contains("--"), "a kernel names its parameter, not a command-line option: " + msg);
    return msg;
  }

  @Test
  void smallCaseByHand() {
    // X = [[1, 2, 3], [4, 5, 6]], W = [[1, 0], [0, -1], [2, 1]], intercept = (10, -0.5).
    Matrix x = Matrix.fromRows(new double[][] {{1, 2, 3}, {4, 5, 6}});
    Matrix w = Matrix.fromRows(new double[][] {{1, 0}, {0, -1}, {2, 1}});
    Matrix got = EncodingPrediction.predict(x, w, new double[] {10, -0.5});
    assertEquals(Matrix.fromRows(new double[][] {{1 + 6 + 10, -2 + 3 - 0.5}, {4 + 12 + 10, -5 + 6 - 0.5}}), got);
  }

  @Test
  void matchesAPlainTripleLoop() {
    Matrix x = random(13, 5, 1);
    Matrix w = random(5, 4, 2);
    double[] b = {0.5, -3, 100, 0};
    Matrix got = EncodingPrediction.predict(x, w, b);
    assertEquals(13, got.rows());
    assertEquals(4, got.cols());
    for (int i = 0; i < 13; i++) {
      for (int j = 0; j < 4; j++) {
        double s = b[j];
        for (int k = 0; k < 5; k++) {
          s += x.get(i, k) * w.get(k, j);
        }
        assertEquals(s, got.get(i, j), 1e-12 * (1 + Math.abs(s)), "row " + i + " voxel " + j);
      }
    }
    // The inputs are left as they were.
    assertEquals(random(13, 5, 1), x);
    assertEquals(random(5, 4, 2), w);
  }

  @Test
  void nanWeightsOfAnUndefinedVoxelPredictNanForThatVoxelOnly() {
    Matrix x = random(6, 3, 3);
    Matrix w = random(3, 2, 4);
    for (int k = 0; k < 3; k++) {
      w.set(k, 1, Double.NaN);
    }
    Matrix got = EncodingPrediction.predict(x, w, new double[] {1, Double.NaN});
    for (int i = 0; i < 6; i++) {
      assertTrue(Double.isFinite(got.get(i, 0)));
      assertTrue(Double.isNaN(got.get(i, 1)));
    }
  }

  @Test
  void rejectsFeaturesWhoseColumnsAreNotTheWeightRows() {
    String msg = rejected(() -> EncodingPrediction.predict(random(4, 7, 5), random(9, 2, 6), new double[2]));
    assertEquals("features: 7 columns, but weights has 9 rows (expected one weight row per feature)", msg);
  }

  @Test
  void rejectsAnInterceptPerVoxelOfTheWrongLength() {
    String msg = rejected(() -> EncodingPrediction.predict(random(4, 3, 5), random(3, 4, 6), new double[3]));
    assertEquals("intercept: 3 values, but weights has 4 columns (expected one intercept per voxel)", msg);
  }

  @Test
  void rejectsNonFiniteFeaturesWithTheirPosition() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      Matrix x = random(5, 3, 7);
      x.set(2, 1, bad);
      String msg = rejected(() -> EncodingPrediction.predict(x, random(3, 2, 8), new double[2]));
      assertEquals("features: non-finite value " + bad + " at row 2, column 1 (expected finite numbers)", msg);
    }
  }

  @Test
  void interceptIsResponseMeanMinusFeatureMeanDotWeights() {
    Matrix w = Matrix.fromRows(new double[][] {{1, 0}, {0, -1}, {2, 1}});
    double[] got = EncodingPrediction.intercept(w, new double[] {0.5, 2, -1}, new double[] {3, 4});
    // 3 - (0.5 + 0 - 2) = 4.5;  4 - (0 - 2 - 1) = 7.
    assertArrayEquals(new double[] {4.5, 7}, got, 0);
  }

  @Test
  void interceptRejectsMeansOfTheWrongLengthOrNonFiniteFeatureMeans() {
    Matrix w = random(3, 2, 9);
    assertEquals("featureMean: 4 values, but weights has 3 rows (expected one mean per feature)",
        rejected(() -> EncodingPrediction.intercept(w, new double[4], new double[2])));
    assertEquals("responseMean: 1 values, but weights has 2 columns (expected one mean per voxel)",
        rejected(() -> EncodingPrediction.intercept(w, new double[3], new double[1])));
    assertEquals("featureMean: non-finite value NaN at index 1 (expected finite numbers)",
        rejected(() -> EncodingPrediction.intercept(w, new double[] {0, Double.NaN, 0}, new double[2])));
  }

  @Test
  void centredAndUncentredFormsAgree() {
    // (x - mean) W + b == x W + (b - mean . W), for any mean, on rows that are not the ones the mean came from.
    Matrix x = random(8, 4, 10);
    Matrix w = random(4, 3, 11);
    double[] mean = {0.3, -1.2, 2.5, 0.9};
    double[] bias = {5, -2, 0.25};
    Matrix centred = x.copy().subtractFromColumns(mean).times(w).addToColumns(bias);
    Matrix got = EncodingPrediction.predict(x, w, EncodingPrediction.intercept(w, mean, bias));
    for (int i = 0; i < centred.data().length; i++) {
      assertEquals(centred.data()[i], got.data()[i], 1e-12 * (1 + Math.abs(centred.data()[i])));
    }
  }
}
