package org.clipmsm.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.random.NumpyRandomState;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  private static Matrix[] data(int n, int voxels, long seed) {
    Random rnd = new Random(seed);
    Matrix y = Matrix.zeros(n, voxels);
    Matrix yhat = Matrix.zeros(n, voxels);
    for (int j = 0; j < voxels; j++) {
      double signal = j / (double) voxels; // from no prediction to good prediction
      for (int i = 0; i < n; i++) {
        double truth = rnd.nextGaussian();
        y.set(i, j, 5 + truth + rnd.nextGaussian() * (1 - signal));
        yhat.set(i, j, 5 + signal * truth + 0.3 * rnd.nextGaussian());
      }
    }
    return new Matrix[] {yhat, y};
  }

  @Test
  void knownAnswers() {
    Matrix[] d = data(40, 3, 1);
    Matrix y = d[1];
    Matrix perfect = y.copy();
    Matrix awful = y.copy().addToColumns(new double[] {100, 100, 100});
    Bootstrap b = Bootstrap.resamples(40, 500, 3);
    // A perfect prediction never has R^2 < 0; one off by 100 standard deviations always does.
    assertArrayEquals(new double[] {0, 0, 0}, b.pValues(perfect, y), 0);
    assertArrayEquals(new double[] {1, 1, 1}, b.pValues(awful, y), 0);
  }

  @Test
  void matchesDirectResamplingWithNumpyDraws() {
    int n = 60;
    int voxels = 25;
    int resamples = 300;
    Matrix[] d = data(n, voxels, 2);
    double[] p = Bootstrap.resamples(n, resamples, 41).pValues(d[0], d[1]);
    // Independent: draw the rows one resample at a time, gather (yhat, y) pairs, compute R^2 directly.
    NumpyRandomState rng = new NumpyRandomState(41);
    int[] below = new int[voxels];
    for (int b = 0; b < resamples; b++) {
      int[] rows = rng.randint(n, n);
      for (int j = 0; j < voxels; j++) {
        double[] ys = new double[n];
        double[] hs = new double[n];
        for (int i = 0; i < n; i++) {
          ys[i] = d[1].get(rows[i], j);
          hs[i] = d[0].get(rows[i], j);
        }
        if (TestMetrics.r2(ys, 0, hs, 0, n) < 0) {
          below[j]++;
        }
      }
    }
    boolean someBetween = false;
    for (int j = 0; j < voxels; j++) {
      assertEquals(below[j] / (double) resamples, p[j], 0, "voxel " + j);
      someBetween |= p[j] > 0.02 && p[j] < 0.98;
    }
    assertTrue(someBetween, "the example should have voxels that are neither surely nor never significant");
  }

  @Test
  void undefinedR2GivesNanP() {
    Matrix y = Matrix.zeros(10, 2);
    Matrix yhat = Matrix.zeros(10, 2);
    for (int i = 0; i < 10; i++) {
      y.set(i, 0, 3.0); // constant
      y.set(i, 1, i);
      yhat.set(i, 1, i);
    }
    y.set(4, 1, Double.NaN);
    double[] p = Bootstrap.resamples(10, 50, 1).pValues(yhat, y);
    assertTrue(Double.isNaN(p[0]));
    assertTrue(Double.isNaN(p[1]));
  }
}
