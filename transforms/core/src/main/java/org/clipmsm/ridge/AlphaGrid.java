package org.clipmsm.ridge;

import java.util.Arrays;
import org.clipmsm.InvalidParameterException;

/**
 * Ridge penalties to search (docs/method.md §2). {@code paper}: 100 values log-spaced from 1e-8 to 1e10 (the paper
 * gives
 * the range; the count follows the code). {@code code}: {@code np.logspace(-8, 0.5 * log10(p) + 8, 100)} for p
 * features, the CLIP-MSM code's grid. Or an explicit list.
 */
public final class AlphaGrid {
  public static final int COUNT = 100;

  private AlphaGrid() {}

  /** {@code np.logspace(start, stop, num)}: 10 ** linspace(start, stop, num), last point exactly 10 ** stop. */
  public static double[] logspace(double start, double stop, int num) {
    double[] out = new double[num];
    double step = num > 1 ? (stop - start) / (num - 1) : 0;
    for (int i = 0; i < num; i++) {
      out[i] = Math.pow(10, i == num - 1 && num > 1 ? stop : start + i * step);
    }
    return out;
  }

  public static double[] paper() {
    return logspace(-8, 10, COUNT);
  }

  public static double[] code(int features) {
    return logspace(-8, 0.5 * Math.log10(features) + 8, COUNT);
  }

  /** Parses {@code paper}, {@code code} or a comma-separated list of non-negative numbers. */
  public static double[] parse(String spec, int features) {
    String s = spec.trim();
    if (s.equals("paper")) {
      return paper();
    }
    if (s.equals("code")) {
      return code(features);
    }
    String[] parts = s.split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InvalidParameterException("alphas", "expected paper, code or numbers a1,a2,..., got '" + parts[i]
            + "'");
      }
      if (!(out[i] >= 0) || Double.isInfinite(out[i])) {
        throw new InvalidParameterException("alphas", "expected finite non-negative numbers, got " + parts[i].trim());
      }
    }
    if (Arrays.stream(out).distinct().count() != out.length) {
      throw new InvalidParameterException("alphas", "values repeat");
    }
    return out;
  }
}
