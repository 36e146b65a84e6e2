package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.pipelines.NoiseCeilingPipeline;
import org.clipmsm.pipelines.NoiseCeilingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "noise-ceiling", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Computes each voxel's noise ceiling in %% of explainable variance from its ncsnr.",
        "NC = 100 ncsnr^2 / (ncsnr^2 + 1/n), or with mixed counts 1/n = (A/3 + B/2 + C/1) / (A + B + C)",
        "(the NSD convention). Compare with 100 * R^2."})
final class NoiseCeilingCommand implements Callable<Integer> {
  @Mixin
  NoiseCeilingOptions noiseCeiling;

  @Option(names = "--out", required = true, paramLabel = "nc.npy", description = "Output file (float64, percent).")
  Path out;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    if (!noiseCeiling.given()) {
      throw new InvalidInputException("--ncsnr is required");
    }
    int n = NoiseCeilingPipeline.run(runner.build(), NoiseCeilingSettings.of(noiseCeiling.ncsnr(),
        noiseCeiling.trials(), out));
    System.out.printf("noise-ceiling: %d voxels; wrote %s%n", n, out);
    return 0;
  }
}
