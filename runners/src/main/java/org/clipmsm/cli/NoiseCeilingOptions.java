package org.clipmsm.cli;

import java.nio.file.Path;
import org.clipmsm.InvalidInputException;
import org.clipmsm.stats.AveragedTrials;
import picocli.CommandLine.Option;

/** The ncsnr and the trials averaged per response, shared by {@code noise-ceiling} and {@code fit --ncsnr}. */
final class NoiseCeilingOptions {
  @Option(names = "--ncsnr", paramLabel = "F.npy", description = "ncsnr per voxel, (voxels,): the noise ceiling in"
      + " %% of explainable variance, NC = 100 ncsnr^2 / (ncsnr^2 + 1/n) (with --trials or --trial-counts).")
  Path ncsnr;

  @Option(names = "--trials", paramLabel = "n", description = "With --ncsnr: trials averaged per image.")
  Integer trials;

  @Option(names = "--trial-counts", paramLabel = "A,B,C", split = ",", hideParamSyntax = true,
      description = "With --ncsnr: images with 3, 2 and 1 trials; 1/n = (A/3 + B/2 + C/1) / (A + B + C).")
  long[] trialCounts;

  boolean given() {
    if (ncsnr == null && (trials != null || trialCounts != null)) {
      throw new InvalidInputException((trials != null ? "--trials" : "--trial-counts") + ": only used with --ncsnr");
    }
    return ncsnr != null;
  }

  Path ncsnr() {
    return ncsnr;
  }

  /** Exactly one of --trials and --trial-counts. */
  AveragedTrials trials() {
    if ((trials == null) == (trialCounts == null)) {
      throw new InvalidInputException("give exactly one of --trials n and --trial-counts A,B,C");
    }
    if (trials != null) {
      return AveragedTrials.of(trials);
    }
    if (trialCounts.length != 3) {
      throw new InvalidInputException("--trial-counts: expected A,B,C (images with 3, 2, 1 trials), got "
          + trialCounts.length + " numbers");
    }
    return AveragedTrials.counts(trialCounts[0], trialCounts[1], trialCounts[2]);
  }
}
