package org.clipmsm.evaluation;

/**
 * A 2-D histogram of (x, y) pairs in {@code bins x bins} equal bins over [lo, hi] on both axes (Fig. 2: x = noise
 * ceiling in %, y = 100 R^2, 50 x 50 bins over [0, 100]). Bin k spans [edge(k), edge(k + 1)) with edge(k) = lo + k
 * (hi - lo) / bins, as {@code numpy.histogram2d}'s edges; the last bin also holds hi. Values outside [lo, hi] are
 * clamped into the edge bins (a negative R^2 counts in the lowest row), so every pair without a NaN is counted: the
 * counts sum to those pairs, as {@code numpy.histogram2d(np.clip(x, lo, hi), np.clip(y, lo, hi), bins, range)} gives.
 * Pairs with a NaN on either side are left out.
 *
 * @param bins bins per axis
 * @param lo the lowest edge
 * @param hi the highest edge
 * @param counts pairs per bin, x bin i and y bin j at {@code i * bins + j}
 */
public record Histogram2d(int bins, double lo, double hi, long[] counts) {
  public Histogram2d {
    if (bins < 1 || !(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi) || counts.length != bins * bins) {
      throw new IllegalArgumentException(bins + " bins over [" + lo + ", " + hi + "] with " + counts.length
          + " counts");
    }
  }

  /** @throws IllegalArgumentException if x and y differ in length, or the bins are not a range */
  public static Histogram2d of(double[] x, double[] y, int bins, double lo, double hi) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("paired samples of " + x.length + " and " + y.length + " values");
    }
    Histogram2d h = new Histogram2d(bins, lo, hi, new long[bins * bins]);
    for (int k = 0; k < x.length; k++) {
      if (Double.isNaN(x[k]) || Double.isNaN(y[k])) {
        continue;
      }
      h.counts[h.bin(x[k]) * bins + h.bin(y[k])]++;
    }
    return h;
  }

  /** The lower edge of bin k (k = bins gives hi). */
  public double edge(int k) {
    return k == bins ? hi : lo + k * ((hi - lo) / bins);
  }

  /** The bin of a value (not NaN): the k with edge(k) &lt;= v &lt; edge(k + 1), clamped to 0..bins - 1. */
  public int bin(double v) {
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException("NaN has no bin");
    }
    if (v <= lo) {
      return 0;
    }
    if (v >= hi) {
      return bins - 1;
    }
    int k = (int) Math.min(bins - 1, Math.floor((v - lo) / ((hi - lo) / bins)));
    // The division may round across an edge: settle on the edges themselves.
    while (k > 0 && edge(k) > v) {
      k--;
    }
    while (k < bins - 1 && edge(k + 1) <= v) {
      k++;
    }
    return k;
  }

  /** Pairs in x bin i and y bin j. */
  public long count(int i, int j) {
    return counts[i * bins + j];
  }

  /** Pairs counted. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }
}
