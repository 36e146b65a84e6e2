package org.clipmsm.dissect;

import java.util.Arrays;
import java.util.Comparator;

/**
 * CLIP-Dissect's similarity functions written out as plainly as possible (nested loops, one Math.log per factor, a
 * full sort for the top images, logsumexp with max shift), as the independent reference of the fast kernels.
 * Arrays are row-major [row][column].
 */
public final class BruteForceDissection {
  private BruteForceDissection() {}

  /** softmax(a p[i]) per image. */
  public static double[][] softmax(double[][] p, double a) {
    double[][] out = new double[p.length][];
    for (int i = 0; i < p.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : p[i]) {
        max = Math.max(max, a * v);
      }
      double sum = 0;
      out[i] = new double[p[i].length];
      for (int d = 0; d < p[i].length; d++) {
        out[i][d] = Math.exp(a * p[i][d] - max);
        sum += out[i][d];
      }
      for (int d = 0; d < p[i].length; d++) {
        out[i][d] /= sum;
      }
    }
    return out;
  }

  /** Image indices of column v of q (images x voxels), best first, ties to the lower index. */
  public static Integer[] ranked(double[][] q, int v) {
    Integer[] idx = new Integer[q.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -q[i][v]).thenComparingInt(i -> i));
    return idx;
  }

  /** log p(d | E_v), voxels x labels. */
  public static double[][] logConditional(double[][] p, double[][] q, boolean soft, int k, double a, double pStart,
      double pEnd, double minProb) {
    double[][] pp = softmax(p, a);
    int voxels = q[0].length;
    int labels = p[0].length;
    double[][] x = new double[voxels][labels];
    for (int v = 0; v < voxels; v++) {
      Integer[] top = ranked(q, v);
      for (int d = 0; d < labels; d++) {
        double s = 0;
        for (int i = 0; i < k; i++) {
          double c = pp[top[i]][d];
          if (soft) {
            double pi = pStart - ((double) i / k) * (pStart - pEnd);
            s += Math.log(1 + pi * (c - 1) + minProb);
          } else {
            s += Math.log(c + minProb);
          }
        }
        x[v][d] = s;
      }
    }
    return x;
  }

  /** S = x - lambda (logsumexp_v x - log V). */
  public static double[][] withPrior(double[][] x, double lambda) {
    int labels = x[0].length;
    double[][] s = new double[x.length][labels];
    for (int d = 0; d < labels; d++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double[] row : x) {
        max = Math.max(max, row[d]);
      }
      double sum = 0;
      for (double[] row : x) {
        sum += Math.exp(row[d] - max);
      }
      double logPrior = max + Math.log(sum) - Math.log(x.length);
      for (int v = 0; v < x.length; v++) {
        s[v][d] = x[v][d] - lambda * logPrior;
      }
    }
    return s;
  }

  /** cos (cube = false) or cos^3 (cube = true) between columns of q and columns of p. */
  public static double[][] cosine(double[][] p, double[][] q, boolean cube) {
    double[][] pc = columns(p, cube);
    double[][] qc = columns(q, cube);
    double[][] s = new double[qc.length][pc.length];
    for (int v = 0; v < qc.length; v++) {
      for (int d = 0; d < pc.length; d++) {
        double dot = 0;
        for (int i = 0; i < p.length; i++) {
          dot += qc[v][i] * pc[d][i];
        }
        s[v][d] = dot;
      }
    }
    return s;
  }

  /** Transformed columns of m, as [column][image]. */
  private static double[][] columns(double[][] m, boolean cube) {
    int n = m.length;
    double[][] out = new double[m[0].length][n];
    for (int j = 0; j < out.length; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += m[i][j] / n;
      }
      double norm = 0;
      for (int i = 0; i < n; i++) {
        out[j][i] = cube ? Math.pow(m[i][j] - mean, 3) : m[i][j];
        norm += out[j][i] * out[j][i];
      }
      norm = Math.sqrt(norm);
      if (cube) {
        norm = Math.max(norm, 1e-3);
      }
      for (int i = 0; i < n; i++) {
        out[j][i] /= norm;
      }
    }
    return out;
  }

  /** Rank-reorder with the given per-voxel baselines; ranks by counting, not sorting. */
  public static double[][] rankReorder(double[][] p, double[][] q, int n, double power, double scaleP, double[] baseline) {
    int voxels = q[0].length;
    int labels = p[0].length;
    double[][] s = new double[voxels][labels];
    for (int v = 0; v < voxels; v++) {
      Integer[] top = ranked(q, v);
      for (int d = 0; d < labels; d++) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
          mean += p[top[i]][d];
        }
        mean /= n;
        double err = 0;
        for (int i = 0; i < n; i++) {
          double ci = p[top[i]][d];
          int rank = 0;
          for (int j = 0; j < n; j++) {
            double cj = p[top[j]][d];
            if (cj < ci || (cj == ci && j < i)) {
              rank++;
            }
          }
          double reordered = q[top[n - 1 - rank]][v]; // the rank-th smallest of the top activations
          err += Math.pow(Math.abs(q[top[i]][v] - reordered), power);
        }
        err /= n;
        s[v][d] = -(err / baseline[v]) / Math.pow(mean, scaleP);
      }
    }
    return s;
  }
}
