package org.clipmsm.stats;

import java.util.Arrays;

/**
 * Benjamini-Hochberg FDR adjustment (docs/method.md §3): with the m finite p-values sorted ascending,
 * q_(i) = min over j >= i of min(1, m p_(j) / j) — R's {@code p.adjust(p, "BH")}, statsmodels' {@code fdrcorrection}.
 * A voxel is significant when q <= the FDR level, which rejects exactly the hypotheses of the BH step-up procedure.
 * NaN p-values (voxels whose R^2 is undefined) are left out of m and get a NaN q.
 */
public final class BenjaminiHochberg {
  private BenjaminiHochberg() {}

  public static double[] adjust(double[] p) {
    int n = p.length;
    Integer[] order = new Integer[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(p[i])) {
        order[m++] = i;
      }
    }
    Integer[] finite = Arrays.copyOf(order, m);
    // Ties keep voxel order, so the result never depends on how the sort breaks them.
    Arrays.sort(finite, (a, b) -> {
      int c = Double.compare(p[a], p[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    double[] q = new double[n];
    Arrays.fill(q, Double.NaN);
    double running = 1.0;
    for (int rank = m; rank >= 1; rank--) {
      int idx = finite[rank - 1];
      running = Math.min(running, (double) m * p[idx] / rank);
      q[idx] = Math.min(1.0, running);
    }
    return q;
  }

  public static boolean[] significant(double[] q, double level) {
    boolean[] out = new boolean[q.length];
    for (int i = 0; i < q.length; i++) {
      out[i] = q[i] <= level;
    }
    return out;
  }
}
