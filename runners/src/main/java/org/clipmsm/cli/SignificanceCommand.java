package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.clipmsm.pipelines.SignificanceOptions;
import org.clipmsm.pipelines.SignificancePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "significance", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Bootstrap significance of test R^2 with Benjamini-Hochberg FDR (the CLIP-MSM test metrics).",
        "Writes in DIR: r2.npy, p.npy, q.npy (BH-adjusted p), significant.npy (bool, q <= --q)."})
final class SignificanceCommand implements Callable<Integer> {
  @Option(names = "--pred", paramLabel = "P.npy", description = "Test predictions, test rows x voxels.")
  String pred;

  @Option(names = "--actual", paramLabel = "Y.npy", description = "Measured test responses, same shape and rows.")
  String actual;

  @Option(names = "--p-values", paramLabel = "p.npy", description = "Skip the bootstrap: only adjust these p-values.")
  String pValues;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(names = "--bootstraps", defaultValue = "2000", description = "Resamples (default ${DEFAULT-VALUE}).")
  int bootstraps;

  @Option(names = "--seed", defaultValue = "41", description = "Resampling seed (default ${DEFAULT-VALUE}); resample"
      + " b = numpy RandomState(seed).randint(0, n, size=(B, n))[b].")
  long seed;

  @Option(names = "--q", defaultValue = "0.05", description = "FDR level (default ${DEFAULT-VALUE}).")
  double q;

  @Option(names = "--voxels-per-block", defaultValue = "1024", paramLabel = "N",
      description = "Voxels per block, the unit of parallel work (default ${DEFAULT-VALUE}).")
  int voxelsPerBlock;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    SignificanceOptions o = runner.build(SignificanceOptions.class);
    o.setPred(pred);
    o.setActual(actual);
    o.setPValues(pValues);
    o.setOut(out);
    o.setBootstraps(bootstraps);
    o.setBootstrapSeed(seed);
    o.setQ(q);
    o.setVoxelsPerBlock(voxelsPerBlock);
    long t0 = System.nanoTime();
    SignificancePipeline.Summary s = SignificancePipeline.run(o);
    System.out.printf("significance: %d of %d voxels significant at FDR %.3g in %.1f s; wrote %s%n", s.significant(),
        s.voxels(), q, (System.nanoTime() - t0) / 1e9, out);
    if (s.undefined() > 0) {
      System.err.printf("clipmsm significance: warning: %d voxels have no p-value (undefined R^2: constant or"
          + " non-finite responses)%n", s.undefined());
    }
    return 0;
  }
}
