package org.clipmsm.netdissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Thresholds against numpy.quantile's own values (make_fixtures.py), exact to the bit. */
class QuantileTest {
  private static List<float[]> arrays() {
    float[] values = Fixtures.floats("quantile_values.npy");
    long[] lengths = Fixtures.longs("quantile_lengths.npy");
    List<float[]> out = new ArrayList<>();
    int o = 0;
    for (long n : lengths) {
      out.add(Arrays.copyOfRange(values, o, o + (int) n));
      o += (int) n;
    }
    return out;
  }

  @Test
  void linearQuantileIsNumpysToTheBit() {
    List<float[]> arrays = arrays();
    double[] qs = Fixtures.doubles("quantile_quantiles.npy");
    double[][] expected = Fixtures.matrix("quantile_expected.npy");
    for (int i = 0; i < arrays.size(); i++) {
      for (int k = 0; k < qs.length; k++) {
        float[] a = arrays.get(i);
        float[] before = a.clone();
        assertEquals(expected[i][k], NumpyQuantile.linear(a, 1 - qs[k]), 0.0, "array " + i + ", q " + qs[k]);
        assertTrue(Arrays.equals(before, a), "input unchanged");
        assertEquals(expected[i][k], BruteForceNetDissect.quantile(a, 1 - qs[k]), 0.0, "sorted reference");
      }
    }
  }

  /** The bounded top-K stream, fed in shuffled pieces across several accumulators and merged, gives NumPy's value. */
  @Test
  void streamedThresholdsAreNumpysWhateverTheOrderAndSplit() {
    List<float[]> arrays = arrays();
    double[] qs = Fixtures.doubles("quantile_quantiles.npy");
    double[][] expected = Fixtures.matrix("quantile_expected.npy");
    Random rnd = new Random(5);
    for (int i = 0; i < arrays.size(); i++) {
      float[] a = arrays.get(i);
      int n = a.length;
      for (int k = 0; k < qs.length; k++) {
        if (qs[k] >= 1) {
          continue;
        }
        for (int trial = 0; trial < 3; trial++) {
          // Voxel 0 gets the values in a shuffled order, voxel 1 reversed; rows go to 1..4 accumulators.
          int[] perm = shuffled(n, rnd);
          float[] rows = new float[2 * n];
          for (int r = 0; r < n; r++) {
            rows[2 * r] = a[perm[r]];
            rows[2 * r + 1] = a[n - 1 - r];
          }
          int parts = 1 + rnd.nextInt(4);
          UpperQuantiles[] acc = new UpperQuantiles[parts];
          for (int p = 0; p < parts; p++) {
            acc[p] = UpperQuantiles.create(2, n, qs[k]);
          }
          int r = 0;
          while (r < n) {
            int len = Math.min(n - r, 1 + rnd.nextInt(Math.max(1, n / 3)));
            acc[rnd.nextInt(parts)].add(rows, 2 * r, len);
            r += len;
          }
          for (int p = 1; p < parts; p++) {
            acc[0].merge(acc[p]);
          }
          double[] t = acc[0].thresholds();
          String what = "array " + i + " (n " + n + "), q " + qs[k] + ", trial " + trial;
          assertEquals(expected[i][k], t[0], 0.0, what);
          assertEquals(expected[i][k], t[1], 0.0, what + ", reversed");
          assertTrue(acc[0].kept() <= Math.ceil(n * qs[k]) + 1, what + ": keeps " + acc[0].kept());
        }
      }
    }
  }

  /** At NetDissect's scale (10,000 images x 7 x 7) the buffer is 2,451 values per voxel, and exact. */
  @Test
  void largeStreamsStayExactInBoundedMemory() {
    int n = 10000 * 49;
    UpperQuantiles q = UpperQuantiles.create(1, n, 0.005);
    assertEquals(2451, q.kept());
    Random rnd = new Random(3);
    float[] all = new float[n];
    for (int i = 0; i < n; i++) {
      all[i] = (float) (rnd.nextGaussian() * (1 + i % 7)) + (i % 1000 == 0 ? 5 : 0);
    }
    q.add(all, 0, n);
    assertEquals(BruteForceNetDissect.quantile(all, 1 - 0.005), q.thresholds()[0], 0.0);
    assertEquals(BruteForceNetDissect.quantile(all, 1 - 0.005), NumpyQuantile.linear(all, 1 - 0.005), 0.0);
  }

  private static int[] shuffled(int n, Random rnd) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
