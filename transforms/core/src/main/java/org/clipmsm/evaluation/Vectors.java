package org.clipmsm.evaluation;

/** Cosines and the [0, 1] scaling of brain maps. */
public final class Vectors {
  private Vectors() {}

  /**
   * cos = a . b / (|a| |b|); NaN if either vector is zero or holds a NaN.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double cosine(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " values");
    }
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    if (!(aa > 0) || !(bb > 0)) {
      return Double.NaN;
    }
    double c = dot / (Math.sqrt(aa) * Math.sqrt(bb));
    return Math.max(-1, Math.min(1, c));
  }

  /**
   * (v - min) / (max - min) over the finite values, so that the smallest becomes 0 and the largest 1; a value that
   * is NaN or infinite becomes NaN (no value); a constant vector becomes all 0 (nothing to show, but a value
   * everywhere).
   */
  public static double[] rescaleToUnit(double[] v) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      if (Double.isFinite(x)) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
    }
    double range = max - min;
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        out[i] = Double.NaN;
      } else if (range > 0 && Double.isFinite(range)) {
        out[i] = Math.max(0, Math.min(1, (v[i] - min) / range));
      } else if (range > 0) {
        // max - min overflows: scale both by a half first.
        out[i] = Math.max(0, Math.min(1, (v[i] / 2 - min / 2) / (max / 2 - min / 2)));
      } else {
        out[i] = 0;
      }
    }
    return out;
  }
}
