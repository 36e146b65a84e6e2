package org.clipmsm.evaluation;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;

/**
 * Pearson's r as {@code scipy.stats.pearsonr} (Commons Math's {@link PearsonsCorrelation}) over the pairs where
 * neither side is NaN; r is NaN with fewer than 2 such pairs or when either side is constant over them (scipy warns
 * and gives NaN too).
 *
 * @param n pairs used
 * @param r the correlation, in [-1, 1], or NaN
 */
public record Pearson(int n, double r) {
  /** @throws IllegalArgumentException if x and y differ in length */
  public static Pearson of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("paired samples of " + x.length + " and " + y.length + " values");
    }
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        n++;
      }
    }
    double[] a = new double[n];
    double[] b = new double[n];
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        a[k] = x[i];
        b[k] = y[i];
        k++;
      }
    }
    if (n < 2 || constant(a) || constant(b)) {
      return new Pearson(n, Double.NaN);
    }
    double r = new PearsonsCorrelation().correlation(a, b);
    return new Pearson(n, Math.max(-1, Math.min(1, r)));
  }

  private static boolean constant(double[] v) {
    for (double x : v) {
      if (x != v[0]) {
        return false;
      }
    }
    return true;
  }
}
