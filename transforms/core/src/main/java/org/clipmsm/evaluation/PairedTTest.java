package org.clipmsm.evaluation;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A paired, two-sided t-test as {@code scipy.stats.ttest_rel(a, b, nan_policy='omit')}: over the pairs where neither
 * side is NaN, d = a - b, t = mean(d) / (sd(d) / sqrt(n)) with sd over n - 1, df = n - 1, p = 2 P(T_df &lt;= -|t|)
 * (Commons Math's {@link TDistribution}).
 *
 * <p>Undefined cases are NaN: with fewer than 2 pairs, t, df and p are NaN (the means are still given where there is
 * a pair); when every difference is the same (sd(d) = 0) t and p are NaN, where scipy gives t = +-inf and p = 0 for
 * a non-zero mean difference (and NaN for zero).
 *
 * @param n pairs used
 * @param meanA mean of a over those pairs
 * @param meanB mean of b over those pairs
 * @param meanDiff mean of a - b
 * @param t the statistic
 * @param df degrees of freedom, n - 1
 * @param p two-sided p-value
 */
public record PairedTTest(int n, double meanA, double meanB, double meanDiff, double t, double df, double p) {
  /** @throws IllegalArgumentException if a and b differ in length */
  public static PairedTTest of(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired samples of " + a.length + " and " + b.length + " values");
    }
    int n = 0;
    double sumA = 0;
    double sumB = 0;
    double sumD = 0;
    for (int i = 0; i < a.length; i++) {
      if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
        continue;
      }
      n++;
      sumA += a[i];
      sumB += b[i];
      sumD += a[i] - b[i];
    }
    if (n == 0) {
      return new PairedTTest(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double meanA = sumA / n;
    double meanB = sumB / n;
    double meanD = sumD / n;
    if (n < 2) {
      return new PairedTTest(n, meanA, meanB, meanD, Double.NaN, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (int i = 0; i < a.length; i++) {
      if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
        continue;
      }
      double e = (a[i] - b[i]) - meanD;
      ss += e * e;
    }
    double df = n - 1;
    double sd = Math.sqrt(ss / df);
    if (!(sd > 0)) {
      return new PairedTTest(n, meanA, meanB, meanD, Double.NaN, df, Double.NaN);
    }
    double t = meanD / (sd / Math.sqrt(n));
    double p = Double.isNaN(t) ? Double.NaN : 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
    return new PairedTTest(n, meanA, meanB, meanD, t, df, Math.min(1, p));
  }
}
