package org.clipmsm.ridge;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The textbook computation the solver must agree with, in Commons Math (no BLAS, no SVD): per voxel and alpha, the
 * normal equations (Xc^T Xc + alpha I) w = Xc^T yc on the centred fitting rows, solved by LU.
 */
final class BruteForceRidge {
  private BruteForceRidge() {}

  static double[] column(double[][] y, int j) {
    double[] c = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      c[i] = y[i][j];
    }
    return c;
  }

  /** Weights and bias fitted on the given rows: {w..., bias}. */
  static double[] fit(double[][] x, double[] y, int[] rows, double alpha) {
    int p = x[0].length;
    double[] mx = new double[p];
    double my = 0;
    for (int r : rows) {
      for (int k = 0; k < p; k++) {
        mx[k] += x[r][k] / rows.length;
      }
      my += y[r] / rows.length;
    }
    RealMatrix xc = new Array2DRowRealMatrix(rows.length, p);
    RealVector yc = new ArrayRealVector(rows.length);
    for (int i = 0; i < rows.length; i++) {
      for (int k = 0; k < p; k++) {
        xc.setEntry(i, k, x[rows[i]][k] - mx[k]);
      }
      yc.setEntry(i, y[rows[i]] - my);
    }
    RealMatrix a = xc.transpose().multiply(xc);
    for (int k = 0; k < p; k++) {
      a.addToEntry(k, k, alpha);
    }
    RealVector w = new LUDecomposition(a, 0).getSolver().solve(xc.transpose().operate(yc));
    double[] out = new double[p + 1];
    for (int k = 0; k < p; k++) {
      out[k] = w.getEntry(k);
    }
    // Stored as the intercept of the uncentred model: yhat = x . w + (my - mx . w).
    double b = my;
    for (int k = 0; k < p; k++) {
      b -= mx[k] * out[k];
    }
    out[p] = b;
    return out;
  }

  /**
   * scikit-learn's {@code Ridge(alpha, fit_intercept=True)} as one closed form on the raw (uncentred) rows, with no
   * centring anywhere: minimise ||y - X w - b 1||^2 + alpha ||w||^2 over w and the unpenalised intercept b by the
   * augmented normal equations
   * <pre>
   *   [ X^T X + alpha I   X^T 1 ] [w]   [ X^T y ]
   *   [ 1^T X             n     ] [b] = [ 1^T y ]
   * </pre>
   * solved by LU. Returns {w..., b}, b being scikit-learn's {@code intercept_}.
   */
  static double[] fitWithUnpenalisedIntercept(double[][] x, double[] y, int[] rows, double alpha) {
    int p = x[0].length;
    RealMatrix a = new Array2DRowRealMatrix(p + 1, p + 1);
    RealVector rhs = new ArrayRealVector(p + 1);
    for (int r : rows) {
      for (int k = 0; k < p; k++) {
        for (int l = 0; l < p; l++) {
          a.addToEntry(k, l, x[r][k] * x[r][l]);
        }
        a.addToEntry(k, p, x[r][k]);
        a.addToEntry(p, k, x[r][k]);
        rhs.addToEntry(k, x[r][k] * y[r]);
      }
      a.addToEntry(p, p, 1);
      rhs.addToEntry(p, y[r]);
    }
    for (int k = 0; k < p; k++) {
      a.addToEntry(k, k, alpha);
    }
    return new LUDecomposition(a, 0).getSolver().solve(rhs).toArray();
  }

  static double predict(double[] model, double[] x) {
    double s = model[x.length];
    for (int k = 0; k < x.length; k++) {
      s += model[k] * x[k];
    }
    return s;
  }

  /** Sum of squared errors over the folds' validation rows. */
  static double validationSse(double[][] x, double[] y, java.util.List<Fold> folds, double alpha) {
    double sse = 0;
    for (Fold f : folds) {
      double[] model = fit(x, y, f.fitRows(), alpha);
      for (int r : f.valRows()) {
        double e = y[r] - predict(model, x[r]);
        sse += e * e;
      }
    }
    return sse;
  }
}
