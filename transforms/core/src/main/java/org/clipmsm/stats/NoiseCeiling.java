package org.clipmsm.stats;

import org.clipmsm.InvalidParameterException;

/**
 * Noise ceiling in percent of explainable variance from the noise-ceiling SNR (docs/method.md §3.4, NSD):
 * NC = 100 ncsnr^2 / (ncsnr^2 + 1/n) for responses averaged over n trials, and with mixed repetition counts
 * NC = 100 ncsnr^2 / (ncsnr^2 + (A/3 + B/2 + C/1) / (A + B + C)) for A, B, C images with 3, 2, 1 trials.
 * Compare it with 100 R^2. A NaN ncsnr gives a NaN ceiling.
 */
public final class NoiseCeiling {
  private NoiseCeiling() {}

  /** The effective 1/n term for a fixed number of averaged trials. */
  public static double inverseTrials(int trials) {
    if (trials < 1) {
      throw new InvalidParameterException("trials", "expected a positive number of averaged trials, got " + trials);
    }
    return 1.0 / trials;
  }

  /** The effective 1/n term for A, B, C images with 3, 2, 1 trials. */
  public static double inverseTrials(long a, long b, long c) {
    if (a < 0 || b < 0 || c < 0 || a + b + c == 0) {
      throw new InvalidParameterException("trialCounts", "expected three non-negative image counts A,B,C (3, 2, 1"
          + " trials) with a positive sum, got " + a + "," + b + "," + c);
    }
    return (a / 3.0 + b / 2.0 + c) / (a + b + c);
  }

  public static double percent(double ncsnr, double inverseTrials) {
    double s2 = ncsnr * ncsnr;
    return 100.0 * s2 / (s2 + inverseTrials);
  }

  public static double[] percent(double[] ncsnr, double inverseTrials) {
    double[] out = new double[ncsnr.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = percent(ncsnr[i], inverseTrials);
    }
    return out;
  }
}
