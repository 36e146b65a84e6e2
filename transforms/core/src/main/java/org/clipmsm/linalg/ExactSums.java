package org.clipmsm.linalg;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Sums of doubles, one per index, that do not depend on the order of the additions: each index keeps Shewchuk's
 * non-overlapping partials (J. R. Shewchuk, "Adaptive precision floating-point arithmetic", 1997; the algorithm of
 * Python's {@code math.fsum}), whose exact sum is the exact sum of every value added; {@link #sums} rounds that once to
 * the nearest double (ties to even). Accumulators built from any split of the values, merged in any order, give
 * identical bits: a sum over voxel blocks that runners shard and combine differently stays byte-identical. Values
 * must be finite.
 */
public final class ExactSums implements Serializable {
  private static final long serialVersionUID = 1L;

  /** partials[i][0 .. count[i]): increasing magnitude, non-overlapping; null until index i gets a value. */
  private final double[][] partials;
  private final int[] count;

  /** Zero sums: an index holds no array until it gets a value, so empty sums are small to keep and to send. */
  public ExactSums(int size) {
    partials = new double[size][];
    count = new int[size];
  }

  public int size() {
    return count.length;
  }

  /** Index {@code i}'s partials, smallest first: their exact sum is the index's exact sum (for coders). */
  public double[] partials(int i) {
    return count[i] == 0 ? new double[0] : Arrays.copyOf(partials[i], count[i]);
  }

  /** Sums whose index {@code i} holds {@code partials[i]}, as {@link #partials} gave them. */
  public static ExactSums ofPartials(double[][] partials) {
    ExactSums s = new ExactSums(partials.length);
    for (int i = 0; i < partials.length; i++) {
      s.partials[i] = partials[i].length == 0 ? null : partials[i].clone();
      s.count[i] = partials[i].length;
    }
    return s;
  }

  /** Adds {@code x} to index {@code i}. */
  public void add(int i, double x) {
    double[] p = partials[i];
    if (p == null) {
      p = new double[4];
      partials[i] = p;
    }
    int n = count[i];
    int kept = 0;
    for (int j = 0; j < n; j++) {
      double y = p[j];
      if (Math.abs(x) < Math.abs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      double hi = x + y;
      double lo = y - (hi - x);
      if (lo != 0) {
        p[kept++] = lo;
      }
      x = hi;
    }
    if (kept == p.length) {
      p = Arrays.copyOf(p, 2 * p.length);
      partials[i] = p;
    }
    p[kept++] = x;
    count[i] = kept;
  }

  /** Adds everything {@code other} holds (the same size). */
  public ExactSums merge(ExactSums other) {
    if (other.size() != size()) {
      throw new IllegalArgumentException("merging sums of " + other.size() + " indices into " + size());
    }
    for (int i = 0; i < count.length; i++) {
      for (int j = 0; j < other.count[i]; j++) {
        add(i, other.partials[i][j]);
      }
    }
    return this;
  }

  /** Each index's exact sum rounded once to the nearest double. */
  public double[] sums() {
    double[] out = new double[count.length];
    for (int i = 0; i < count.length; i++) {
      out[i] = round(partials[i], count[i]);
    }
    return out;
  }

  /** The sum of the partials, correctly rounded (math.fsum's last step, with its half-way correction). */
  private static double round(double[] p, int n) {
    if (n == 0) {
      return 0.0;
    }
    double hi = p[--n];
    double lo = 0;
    while (n > 0) {
      double x = hi;
      double y = p[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0) {
        break;
      }
    }
    // hi + lo is exact; if lo is exactly half an ulp and the next partial pushes the same way, round away.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      double y = lo * 2;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) {
        hi = x;
      }
    }
    return hi;
  }
}
