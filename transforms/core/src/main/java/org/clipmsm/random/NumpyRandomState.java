package org.clipmsm.random;

import org.apache.commons.math3.random.MersenneTwister;
import org.clipmsm.InvalidParameterException;

/**
 * The draws of NumPy's legacy {@code np.random.RandomState(seed)} that the reference Python code uses, so that a
 * seed gives the same rows here as there: MT19937 seeded by init_genrand (what RandomState does with an integer
 * seed), bounded integers by masked rejection sampling on 32-bit outputs (numpy's {@code random_interval} and
 * {@code buffered_bounded_masked_uint32}), and the Fisher-Yates shuffle that {@code permutation} runs.
 * Checked against arrays written by numpy itself (see the test fixtures).
 */
public final class NumpyRandomState {
  private final Mt mt;

  public NumpyRandomState(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new InvalidParameterException("seed", "expected a NumPy RandomState seed, 0 .. 4294967295, got " + seed);
    }
    this.mt = new Mt((int) seed);
  }

  /** An integer uniform on [0, max] (numpy random_interval / masked bounded draw; max < 2^32). */
  public long interval(long max) {
    if (max == 0) {
      return 0;
    }
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    long value;
    do {
      value = (mt.nextUint32()) & mask;
    } while (value > max);
    return value;
  }

  /** {@code RandomState(seed).permutation(n)}. */
  public int[] permutation(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i >= 1; i--) {
      int j = (int) interval(i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** {@code RandomState(seed).randint(0, bound, size=count)}. */
  public int[] randint(int bound, int count) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = (int) interval(bound - 1L);
    }
    return out;
  }

  /** Commons Math's MT19937 with int seeding (init_genrand), exposing its raw 32-bit output. */
  private static final class Mt extends MersenneTwister {
    private static final long serialVersionUID = 1L;

    Mt(int seed) {
      super(seed);
    }

    long nextUint32() {
      return next(32) & 0xFFFFFFFFL;
    }
  }
}
