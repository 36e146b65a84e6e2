package org.clipmsm.stats;

import java.io.Serializable;

/**
 * How many trials each response averages, for the noise ceiling (docs/method.md §3.4): the same {@code n} for every
 * image, or {@code a}, {@code b}, {@code c} images with 3, 2 and 1 trials (a ragged NSD subject).
 */
public record AveragedTrials(int trials, long threeTrials, long twoTrials, long oneTrial) implements Serializable {
  public AveragedTrials {
    if (trials > 0) {
      NoiseCeiling.inverseTrials(trials);
    } else {
      NoiseCeiling.inverseTrials(threeTrials, twoTrials, oneTrial);
    }
  }

  /** Every response averages {@code n} trials. */
  public static AveragedTrials of(int n) {
    NoiseCeiling.inverseTrials(n);
    return new AveragedTrials(n, 0, 0, 0);
  }

  /** {@code a}, {@code b}, {@code c} images with 3, 2, 1 trials. */
  public static AveragedTrials counts(long a, long b, long c) {
    return new AveragedTrials(0, a, b, c);
  }

  /** The effective 1/n of NC = 100 ncsnr^2 / (ncsnr^2 + 1/n). */
  public double inverse() {
    return trials > 0 ? NoiseCeiling.inverseTrials(trials) : NoiseCeiling.inverseTrials(threeTrials, twoTrials,
        oneTrial);
  }
}
