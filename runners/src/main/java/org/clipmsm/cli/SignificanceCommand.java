package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clipmsm.beam.Progress;
import org.clipmsm.pipelines.SignificancePipeline;
import org.clipmsm.pipelines.SignificanceSettings;
import org.clipmsm.pipelines.SignificanceTest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "significance", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Tests each voxel's test R^2 by bootstrap, with Benjamini-Hochberg FDR over voxels.",
        "Writes in DIR: r2.npy, p.npy, q.npy (BH-adjusted p), significant.npy (bool, q <= --q); with --p-values only",
        "p.npy (their copy), q.npy and significant.npy."})
final class SignificanceCommand implements Callable<Integer>, Flags.Renamed {
  /** The bootstrap's inputs, or p-values to adjust: one or the other. */
  static final class Inputs {
    @ArgGroup(exclusive = false, multiplicity = "1")
    Bootstrap bootstrap;

    @Option(names = "--p-values", required = true, paramLabel = "p.npy",
        description = "Skip the bootstrap: only adjust these p-values (each in [0, 1], NaN for none).")
    Path pValues;
  }

  static final class Bootstrap {
    @Option(names = "--pred", required = true, paramLabel = "P.npy", description = "Test predictions, test rows x"
        + " voxels.")
    Path pred;

    @Option(names = "--actual", required = true, paramLabel = "Y.npy", description = "Measured test responses, same"
        + " shape and rows.")
    Path actual;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Inputs inputs;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Mixin
  SignificanceTestOptions test;

  @Option(names = "--seed", description = "Resampling seed (default ${DEFAULT-VALUE}); resample b = numpy"
      + " RandomState(seed).randint(0, n, size=(B, n))[b].")
  long seed = SignificanceTest.DEFAULTS.bootstrapSeed();

  @Mixin
  BlockOptions blocks;

  @Mixin
  RunnerOptions runner;

  @Override
  public Map<String, String> renamedOptions() {
    return Map.of("bootstrapSeed", "--seed");
  }

  @Override
  public Integer call() {
    SignificanceSettings s = inputs.pValues != null ? SignificanceSettings.adjust(inputs.pValues, out)
        : SignificanceSettings.bootstrap(inputs.bootstrap.pred, inputs.bootstrap.actual, out);
    s = s.withTest(test.test(seed)).withVoxelsPerBlock(blocks.voxelsPerBlock);
    long t0 = System.nanoTime();
    SignificancePipeline.Summary r = SignificancePipeline.run(runner.build(), s, Progress.lines("clipmsm"));
    System.out.printf("significance: %d of %d voxels significant at FDR %.3g in %.1f s; wrote %s%n", r.significant(),
        r.voxels(), test.q, (System.nanoTime() - t0) / 1e9, out);
    if (r.undefined() > 0) {
      System.err.printf("clipmsm significance: warning: %d voxels have no p-value (undefined R^2: constant or"
          + " non-finite responses)%n", r.undefined());
    }
    return 0;
  }
}
