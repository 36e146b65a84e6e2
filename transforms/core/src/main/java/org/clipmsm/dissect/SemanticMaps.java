package org.clipmsm.dissect;

import org.clipmsm.InvalidParameterException;

/**
 * From scores S (voxels x labels) to the two maps of docs/method.md §4: CLIP-MSM's multi-semantic map, softmax over
 * labels
 * of S[v, :] / temperature (each voxel a distribution over every label), and CLIP-Dissect's single label, argmax_d
 * S[v, d]. Ties go to the lower label index; NaN scores never win (a row of NaN has argmax -1).
 */
public final class SemanticMaps {
  private SemanticMaps() {}

  /** Returns the temperature when the softmax can use it: a positive finite number. */
  public static double checkTemperature(double temperature) {
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new InvalidParameterException("temperature", "expected a positive number, got " + temperature);
    }
    return temperature;
  }

  /** Softmax of each row of a row-major block: exp((s - max) / T) / sum, as torch's softmax of S / T. */
  public static double[] softmax(double[] s, int rows, int labels, double temperature) {
    checkTemperature(temperature);
    double[] out = new double[rows * labels];
    for (int r = 0; r < rows; r++) {
      int o = r * labels;
      double max = Double.NEGATIVE_INFINITY;
      for (int d = 0; d < labels; d++) {
        max = Math.max(max, s[o + d] / temperature);
      }
      double sum = 0;
      for (int d = 0; d < labels; d++) {
        double e = Math.exp(s[o + d] / temperature - max);
        out[o + d] = e;
        sum += e;
      }
      for (int d = 0; d < labels; d++) {
        out[o + d] /= sum;
      }
    }
    return out;
  }

  /** The index of each row's largest value (first on ties; -1 when the row is all NaN). */
  public static int[] argmax(double[] s, int rows, int labels) {
    int[] out = new int[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = top(s, r * labels, labels, 1)[0];
    }
    return out;
  }

  /**
   * The n best labels of one row, best first (ties: lower index first; NaN never chosen; -1 pads when fewer than n
   * are not NaN).
   */
  public static int[] top(double[] s, int offset, int labels, int n) {
    int[] best = new int[n];
    java.util.Arrays.fill(best, -1);
    for (int d = 0; d < labels; d++) {
      double v = s[offset + d];
      if (Double.isNaN(v)) {
        continue;
      }
      int pos = n;
      while (pos > 0 && (best[pos - 1] < 0 || v > s[offset + best[pos - 1]])) {
        pos--;
      }
      if (pos < n) {
        System.arraycopy(best, pos, best, pos + 1, n - pos - 1);
        best[pos] = d;
      }
    }
    return best;
  }
}
