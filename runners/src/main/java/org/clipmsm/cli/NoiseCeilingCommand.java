package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.clipmsm.pipelines.NoiseCeilingOptions;
import org.clipmsm.pipelines.NoiseCeilingPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "noise-ceiling", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Noise ceiling in %% of explainable variance from ncsnr (NSD convention):",
        "NC = 100 ncsnr^2 / (ncsnr^2 + 1/n), or with mixed counts 1/n = (A/3 + B/2 + C/1) / (A + B + C).",
        "Compare with 100 * R^2."})
final class NoiseCeilingCommand implements Callable<Integer> {
  @Option(names = "--ncsnr", required = true, paramLabel = "F.npy", description = "ncsnr per voxel, (voxels,).")
  String ncsnr;

  @Option(names = "--trials", defaultValue = "0", paramLabel = "n", description = "Trials averaged per image.")
  int trials;

  @Option(names = "--trial-counts", paramLabel = "A,B,C", description = "Images with 3, 2 and 1 trials.")
  String trialCounts;

  @Option(names = "--out", required = true, paramLabel = "nc.npy", description = "Output file (float64, percent).")
  String out;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    NoiseCeilingOptions o = runner.build(NoiseCeilingOptions.class);
    o.setNcsnr(ncsnr);
    o.setTrials(trials);
    o.setTrialCounts(trialCounts);
    o.setOut(out);
    int n = NoiseCeilingPipeline.run(o);
    System.out.printf("noise-ceiling: %d voxels; wrote %s%n", n, out);
    return 0;
  }
}
