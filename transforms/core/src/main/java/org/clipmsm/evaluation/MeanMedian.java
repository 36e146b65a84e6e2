package org.clipmsm.evaluation;

import java.util.Arrays;

/**
 * The mean and median of a sample over its values that are not NaN (as {@code numpy.nanmean}, {@code
 * numpy.nanmedian}: the median of an even count is the mean of the two middle values); both NaN when no value is
 * left.
 *
 * @param n values used
 * @param mean their mean
 * @param median their median
 */
public record MeanMedian(int n, double mean, double median) {
  public static MeanMedian of(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
    int n = v.length;
    if (n == 0) {
      return new MeanMedian(0, Double.NaN, Double.NaN);
    }
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    Arrays.sort(v);
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return new MeanMedian(n, sum / n, median);
  }

  /** The summary of the values at the given positions. */
  public static MeanMedian of(double[] values, int[] positions) {
    double[] v = new double[positions.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[positions[i]];
    }
    return of(v);
  }
}
