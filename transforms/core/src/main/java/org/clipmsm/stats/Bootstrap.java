package org.clipmsm.stats;

import java.io.Serializable;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.random.NumpyRandomState;

/**
 * Bootstrap significance of test R^2 (docs/method.md §3). Resample b draws n test rows with replacement, the same rows
 * for every voxel, (yhat, y) kept together; p = fraction of resamples whose R^2 < 0 (one-sided).
 *
 * <p>Resample b's rows are {@code np.random.RandomState(seed).randint(0, n, size=(B, n))[b]}. Each resample is a
 * vector of counts c_b (how often each row was drawn), so for all resamples and voxels at once, with E = (y - yhat)^2
 * and y centred on its test mean (R^2 does not change under a shift of y, and centring keeps the variance free of
 * cancellation): SSE_b = c_b . E, S1_b = c_b . y, S2_b = c_b . y^2, and
 * R^2_b = 1 - (SSE_b / n) / (S2_b / n - (S1_b / n)^2). One GEMM of the B x n count matrix by [E | y | y^2].
 */
public final class Bootstrap implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Matrix counts;

  private Bootstrap(Matrix counts) {
    this.counts = counts;
  }

  /** The count matrix (resamples x test rows) for this seed. */
  public static Bootstrap resamples(int testRows, int resamples, long seed) {
    checkResamples(resamples);
    NumpyRandomState rng = new NumpyRandomState(seed);
    Matrix c = Matrix.zeros(resamples, testRows);
    double[] d = c.data();
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < testRows; i++) {
        int row = (int) rng.interval(testRows - 1L);
        d[b + row * resamples]++;
      }
    }
    return new Bootstrap(c);
  }

  /** Returns the count when it is a usable number of resamples. */
  public static int checkResamples(int resamples) {
    if (resamples < 1) {
      throw new InvalidParameterException("bootstraps", "expected a positive count, got " + resamples);
    }
    return resamples;
  }

  public int resamples() {
    return counts.rows();
  }

  public int testRows() {
    return counts.cols();
  }

  /** p-values of the voxels (columns) of {@code predicted} and {@code actual} (test rows x voxels). */
  public double[] pValues(Matrix predicted, Matrix actual) {
    int n = counts.cols();
    int nb = counts.rows();
    if (predicted.rows() != n || actual.rows() != n || predicted.cols() != actual.cols()) {
      throw new IllegalArgumentException("bootstrap: expected " + n + " test rows in predictions and responses, got "
          + predicted.rows() + " x " + predicted.cols() + " and " + actual.rows() + " x " + actual.cols());
    }
    int m = actual.cols();
    Matrix stacked = Matrix.zeros(n, 3 * m);
    double[] s = stacked.data();
    double[] y = actual.data();
    double[] yh = predicted.data();
    boolean[] defined = new boolean[m];
    for (int j = 0; j < m; j++) {
      int off = j * n;
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += y[off + i];
      }
      mean /= n;
      boolean finite = Double.isFinite(mean);
      for (int i = 0; i < n; i++) {
        double e = y[off + i] - yh[off + i];
        double c = y[off + i] - mean;
        finite &= Double.isFinite(e);
        s[off + i] = e * e;
        s[(m + j) * n + i] = c;
        s[(2 * m + j) * n + i] = c * c;
      }
      defined[j] = finite && !Double.isNaN(TestMetrics.r2(y, off, yh, off, n));
    }
    Matrix sums = Matrix.zeros(nb, 3 * m);
    Linalg.blas().dgemm("N", "N", nb, 3 * m, n, 1.0, counts.data(), nb, s, n, 0.0, sums.data(), nb);
    double[] t = sums.data();
    double[] p = new double[m];
    for (int j = 0; j < m; j++) {
      if (!defined[j]) {
        p[j] = Double.NaN;
        continue;
      }
      int below = 0;
      for (int b = 0; b < nb; b++) {
        double sse = t[b + j * nb];
        double s1 = t[b + (m + j) * nb] / n;
        double var = t[b + (2 * m + j) * nb] / n - s1 * s1;
        // R^2_b < 0  <=>  SSE_b / n > var_b (var_b > 0); a resample of one repeated value has no variance: R^2 undefined, not below 0.
        if (var > 0 && sse / n > var) {
          below++;
        }
      }
      p[j] = (double) below / nb;
    }
    return p;
  }
}
