package org.clipmsm.pipelines;

import java.util.Arrays;

/** Numbers the pipelines' summaries report about per-voxel results. */
final class Summaries {
  private Summaries() {}

  static int countNaN(double[] v) {
    int c = 0;
    for (double x : v) {
      c += Double.isNaN(x) ? 1 : 0;
    }
    return c;
  }

  /** The median of the values that are not NaN (NaN if none is). */
  static double median(double[] v) {
    double[] f = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (f.length == 0) {
      return Double.NaN;
    }
    return f.length % 2 == 1 ? f[f.length / 2] : 0.5 * (f[f.length / 2 - 1] + f[f.length / 2]);
  }
}
