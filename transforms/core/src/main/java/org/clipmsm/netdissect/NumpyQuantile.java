package org.clipmsm.netdissect;

import org.clipmsm.InvalidParameterException;

/**
 * {@code numpy.quantile(x.astype(float64), level)} with NumPy's default 'linear' method (NumPy >= 1.22, checked
 * against 1.24 and 2.4), exactly: the virtual index {@code v = (n - 1) * level} in double; with {@code i = floor(v)},
 * {@code g = v - i} and the ascending order statistics {@code a = x_(i)}, {@code b = x_(i+1)} (both {@code x_(n-1)}
 * when {@code v >= n - 1}), NumPy's {@code _lerp}: {@code b - (b - a) * (1 - g)} when {@code g >= 0.5}, else {@code
 * a + (b - a) * g}. The two order statistics are found by selection (expected linear time), never a full sort.
 */
public final class NumpyQuantile {
  private NumpyQuantile() {}

  /** The level-quantile of {@code values} (not changed), as {@code numpy.quantile} computes it. */
  public static double linear(float[] values, double level) {
    checkLevel(level);
    InvalidParameterException.require(values.length > 0, "values", "expected at least one value, got none");
    int n = values.length;
    long i = lowerIndex(n, level);
    float[] a = values.clone();
    requireFinite(a, 0, n);
    Selection.select(a, 0, n, (int) i);
    float lower = a[(int) i];
    float upper = lower;
    if (i + 1 < n) {
      upper = a[(int) i + 1];
      for (int k = (int) i + 2; k < n; k++) {
        upper = Math.min(upper, a[k]);
      }
    }
    return lerp(lower, upper, gamma(n, level));
  }

  /** {@code floor((n - 1) * level)}, or {@code n - 1} when that index is at or past the last value. */
  public static long lowerIndex(long n, double level) {
    double v = (n - 1) * level;
    return v >= n - 1 ? n - 1 : (long) Math.floor(v);
  }

  /** The interpolation weight {@code v - floor(v)} of the upper order statistic (irrelevant past the end). */
  public static double gamma(long n, double level) {
    double v = (n - 1) * level;
    return v >= n - 1 ? 0.0 : v - Math.floor(v);
  }

  /** NumPy's {@code _lerp(a, b, t)}. */
  public static double lerp(double a, double b, double t) {
    double diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }

  static void checkLevel(double level) {
    InvalidParameterException.require(level >= 0 && level <= 1, "level",
        "expected a quantile level between 0 and 1, got " + level);
  }

  static void requireFinite(float[] a, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!Float.isFinite(a[k])) {
        throw new InvalidParameterException("values", "expected finite values, got " + a[k] + " at index " + k);
      }
    }
  }
}
