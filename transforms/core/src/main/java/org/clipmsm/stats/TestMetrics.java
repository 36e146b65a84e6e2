package org.clipmsm.stats;

/**
 * Per-voxel test metrics (docs/method.md §3). Both are NaN where undefined (a constant or non-finite response), never a
 * silent 0.
 */
public final class TestMetrics {
  private TestMetrics() {}

  /** R^2 = 1 - mean((y - yhat)^2) / var(y), var with the population (1/n) normaliser. */
  public static double r2(double[] y, int yOff, double[] yhat, int hatOff, int n) {
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += y[yOff + i];
    }
    mean /= n;
    double ss = 0;
    double sse = 0;
    for (int i = 0; i < n; i++) {
      double d = y[yOff + i] - mean;
      ss += d * d;
      double e = y[yOff + i] - yhat[hatOff + i];
      sse += e * e;
    }
    if (!(ss > 0) || !Double.isFinite(sse) || !Double.isFinite(ss)) {
      return Double.NaN;
    }
    return 1 - sse / ss;
  }

  /** Pearson correlation of y and yhat. */
  public static double pearson(double[] y, int yOff, double[] yhat, int hatOff, int n) {
    double my = 0;
    double mh = 0;
    for (int i = 0; i < n; i++) {
      my += y[yOff + i];
      mh += yhat[hatOff + i];
    }
    my /= n;
    mh /= n;
    double syy = 0;
    double shh = 0;
    double syh = 0;
    for (int i = 0; i < n; i++) {
      double a = y[yOff + i] - my;
      double b = yhat[hatOff + i] - mh;
      syy += a * a;
      shh += b * b;
      syh += a * b;
    }
    if (!(syy > 0) || !(shh > 0) || !Double.isFinite(syh)) {
      return Double.NaN;
    }
    return syh / Math.sqrt(syy * shh);
  }
}
