package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.clipmsm.bench.BootstrapBenchmark;
import org.clipmsm.bench.RidgeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmarks against the machine's own dgemm limit, measured in the same run.",
        "fit: the whole ridge fit (split, decomposition, alpha search, refit, test predictions).",
        "bootstrap: 2,000 resamples of the test rows for every voxel."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WHAT", description = "fit or bootstrap")
  String what;

  @Option(names = "--images", defaultValue = "10000", description = "Images (fit; default ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--features", defaultValue = "512", description = "Features (fit; default ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--voxels", defaultValue = "20000", description = "Voxels (default ${DEFAULT-VALUE}).")
  int voxels;

  @Option(names = "--test-rows", defaultValue = "1500", description = "Test rows (bootstrap; default ${DEFAULT-VALUE}).")
  int testRows;

  @Option(names = "--bootstraps", defaultValue = "2000", description = "Resamples (bootstrap; default ${DEFAULT-VALUE}).")
  int bootstraps;

  @Option(names = "--voxels-per-block", defaultValue = "1024", description = "Voxels per block (default ${DEFAULT-VALUE}).")
  int block;

  @Override
  public Integer call() {
    switch (what) {
      case "fit" -> RidgeBenchmark.run(images, features, voxels, block);
      case "bootstrap" -> BootstrapBenchmark.run(testRows, voxels, bootstraps, block);
      default -> throw new org.clipmsm.InvalidInputException("bench: expected fit or bootstrap, got " + what);
    }
    return 0;
  }
}
