package org.clipmsm.dissect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * log p(d) = logsumexp_v log p(d | E_v) - log V over the V voxels dissected together (docs/method.md §4.3), computed
 * so that the result is bit-identical however the voxels are split into shards and in whatever order the shards are
 * combined.
 *
 * <p>Floating-point sums depend on their order, so the sum is made exact. Pass 1: M_d = max_v x_vd per label (max
 * is exact and order-free). Pass 2: every term t = exp(x_vd - M_d), a double in [0, 1] that depends only on x_vd and
 * M_d, is truncated to a multiple of 2^-94 and added as an integer to a 128-bit fixed-point accumulator (two longs
 * with carry). Integer addition is associative and commutative, and it cannot overflow: V terms of at most 2^94 need
 * 94 + log2(V) bits, and V < 2^32 is checked. The truncation drops less than 2^-94 per term, a relative error below
 * V 2^-94 (about 1e-24 for 20,000 voxels) since the largest term is exactly 1. The sum is then converted to a double
 * (deterministically, from the two longs), and log p(d) = M_d + log(sum) - log V.
 *
 * <p>Voxels whose x is -inf for a label (a zero factor, only possible with p_start = 1 or min_prob = 0) add 0; a
 * label with every x = -inf gets log p(d) = -inf, as torch's logsumexp gives.
 */
public final class LabelPrior {
  /** Fraction bits of the fixed-point accumulator. */
  static final int FRACTION_BITS = 94;
  static final long MAX_VOXELS = 1L << 32;
  /** Labels per parallel task when adding a block. */
  private static final int LABEL_SPAN = 256;

  private LabelPrior() {}

  /** Per-label maxima of a voxels x labels row-major block, merged into {@code into} (length labels). */
  public static void maxInto(double[] x, int rows, int labels, double[] into) {
    for (int r = 0; r < rows; r++) {
      int o = r * labels;
      for (int d = 0; d < labels; d++) {
        double v = x[o + d];
        if (v > into[d]) {
          into[d] = v;
        }
      }
    }
  }

  /** A fresh maxima array: -inf for every label. */
  public static double[] emptyMax(int labels) {
    double[] m = new double[labels];
    Arrays.fill(m, Double.NEGATIVE_INFINITY);
    return m;
  }

  /** The exact sums of exp(x - M) per label and the number of voxels added. Mergeable in any order. */
  public static final class ExpSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] hi;
    private final long[] lo;
    private long voxels;

    public ExpSum(int labels) {
      this.hi = new long[labels];
      this.lo = new long[labels];
    }

    public ExpSum(long[] hi, long[] lo, long voxels) {
      this.hi = hi;
      this.lo = lo;
      this.voxels = voxels;
    }

    public int labels() {
      return hi.length;
    }

    public long voxels() {
      return voxels;
    }

    public long[] hi() {
      return hi;
    }

    public long[] lo() {
      return lo;
    }

    /**
     * Adds the rows of a voxels x labels row-major block; {@code max} are the global per-label maxima. Spans of labels
     * run in parallel: each label's accumulator is touched by one thread only, and the sum is exact anyway.
     */
    public ExpSum add(double[] x, int rows, double[] max) {
      int labels = hi.length;
      java.util.stream.IntStream.range(0, (labels + LABEL_SPAN - 1) / LABEL_SPAN).parallel().forEach(span -> {
        int d0 = span * LABEL_SPAN;
        int d1 = Math.min(labels, d0 + LABEL_SPAN);
        for (int r = 0; r < rows; r++) {
          int o = r * labels;
          for (int d = d0; d < d1; d++) {
            if (max[d] != Double.NEGATIVE_INFINITY) {
              addTerm(d, Math.exp(x[o + d] - max[d]));
            }
          }
        }
      });
      voxels += rows;
      checkVoxels();
      return this;
    }

    public ExpSum merge(ExpSum other) {
      if (other.hi.length != hi.length) {
        throw new IllegalArgumentException("label counts differ: " + hi.length + " vs " + other.hi.length);
      }
      for (int d = 0; d < hi.length; d++) {
        add128(d, other.hi[d], other.lo[d]);
      }
      voxels += other.voxels;
      checkVoxels();
      return this;
    }

    private void checkVoxels() {
      if (voxels >= MAX_VOXELS) {
        throw new IllegalStateException(voxels + " voxels: the exact sum holds at most 2^32");
      }
    }

    /** Adds floor(t 2^94) for t in [0, 1]. */
    void addTerm(int d, double t) {
      long bits = Double.doubleToRawLongBits(t);
      int exp = (int) (bits >>> 52) & 0x7ff;
      if (exp == 0) {
        return; // zero or subnormal: below 2^-1022, far below the last fixed-point bit
      }
      if (t > 1 || !(t >= 0)) {
        throw new IllegalArgumentException("term " + t + " outside [0, 1]");
      }
      long mantissa = (bits & 0xfffffffffffffL) | (1L << 52);
      int shift = exp - 1075 + FRACTION_BITS; // t 2^94 = mantissa 2^shift
      long addHi;
      long addLo;
      if (shift <= -53) {
        return;
      } else if (shift < 0) {
        addHi = 0;
        addLo = mantissa >>> -shift;
      } else if (shift == 0) {
        addHi = 0;
        addLo = mantissa;
      } else {
        addHi = mantissa >>> (64 - shift);
        addLo = mantissa << shift;
      }
      add128(d, addHi, addLo);
    }

    private void add128(int d, long addHi, long addLo) {
      long sumLo = lo[d] + addLo;
      long carry = Long.compareUnsigned(sumLo, lo[d]) < 0 ? 1 : 0;
      lo[d] = sumLo;
      hi[d] += addHi + carry;
    }

    /** The sum for label d as a double (rounded, deterministically from the exact value). */
    public double sum(int d) {
      double low = (double) (lo[d] >>> 1) * 2.0 + (lo[d] & 1L);
      return Math.scalb((double) hi[d], 64 - FRACTION_BITS) + Math.scalb(low, -FRACTION_BITS);
    }

    /** log p(d) = M_d + log(sum_d) - log V. */
    public double[] logPrior(double[] max) {
      double[] out = new double[hi.length];
      double logV = Math.log(voxels);
      for (int d = 0; d < out.length; d++) {
        out[d] = max[d] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : max[d] + Math.log(sum(d)) - logV;
      }
      return out;
    }
  }

  /** log p(d) of all rows of one voxels x labels block (the single-shard case, and a reference for tests). */
  public static double[] of(double[] x, int rows, int labels) {
    double[] max = emptyMax(labels);
    maxInto(x, rows, labels, max);
    return new ExpSum(labels).add(x, rows, max).logPrior(max);
  }

  /** S = x - lambda log p(d), row by row, into a new array. */
  public static double[] subtract(double[] x, int rows, int labels, double[] logPrior, double lambda) {
    double[] s = new double[rows * labels];
    for (int r = 0; r < rows; r++) {
      int o = r * labels;
      for (int d = 0; d < labels; d++) {
        s[o + d] = x[o + d] - lambda * logPrior[d];
      }
    }
    return s;
  }
}
