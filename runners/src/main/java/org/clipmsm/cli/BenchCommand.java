package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.clipmsm.bench.BootstrapBenchmark;
import org.clipmsm.bench.RidgeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Times kernels and pipelines against this machine's dgemm limit, measured in the same run.",
        "fit: the whole ridge fit (split, decomposition, alpha search, refit, test predictions).",
        "bootstrap: 2,000 resamples of the test rows for every voxel.",
        "fit-pipeline: the fit pipeline end to end (read .npy, Beam pipeline, write outputs) on --runner.",
        "dissect: SoftWPMI on synthetic P and Q, 5 and 20,000 labels (or --labels N).",
        "embed: images/s of an image encoder (--model) on NSD-sized scenes; compare tools/bench_torch.py."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WHAT", description = "fit, bootstrap, fit-pipeline, dissect or embed")
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

  @Option(names = "--labels", description = "Labels (dissect; default: 5, then 20000).")
  Integer labels;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "fit-pipeline: where the input .npy files and the"
      + " outputs go (default: a temporary directory, deleted afterwards).")
  String workDir;

  @Option(names = "--model", defaultValue = "tiny-clip", description = "embed: model directory or tiny-clip"
      + " (default).")
  String model;

  @Option(names = "--stimuli", paramLabel = "FILE.hdf5", description = "embed: the images (default: --count drawn"
      + " scenes of 425 px written to the work directory).")
  String stimuli;

  @Option(names = "--count", defaultValue = "256", description = "embed: images drawn (default ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--batch-size", defaultValue = "32", description = "embed: images per forward pass (default"
      + " ${DEFAULT-VALUE}).")
  int batchSize;

  @picocli.CommandLine.Mixin
  RunnerOptions runner;

  @Override
  public Integer call() throws Exception {
    switch (what) {
      case "fit" -> RidgeBenchmark.run(images, features, voxels, block);
      case "bootstrap" -> BootstrapBenchmark.run(testRows, voxels, bootstraps, block);
      case "fit-pipeline" -> fitPipeline();
      case "dissect" -> {
        for (int l : labels != null ? new int[] {labels} : new int[] {5, 20000}) {
          org.clipmsm.bench.DissectBenchmark.run(images, voxels, l, block);
        }
      }
      case "embed" -> EmbedBenchmark.run(model, stimuli, count, batchSize, EmbedBenchmark.workDir(workDir),
          runner.build(), runner.runner);
      default -> throw new org.clipmsm.InvalidInputException("bench: expected fit, bootstrap, fit-pipeline, dissect"
          + " or embed, got " + what);
    }
    return 0;
  }

  /** Writes NSD-sized .npy inputs (float32, as real data come), then times the fit command on them. */
  private void fitPipeline() throws java.io.IOException {
    java.nio.file.Path dir = workDir != null ? java.nio.file.Path.of(workDir)
        : java.nio.file.Files.createTempDirectory("clipmsm-bench");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Path x = dir.resolve("features.npy");
    java.nio.file.Path y = dir.resolve("responses.npy");
    System.out.printf("fit-pipeline benchmark: writing %d images x %d features and %d voxels (float32) to %s%n",
        images, features, voxels, dir);
    org.clipmsm.bench.SyntheticResponses.write(x, y, images, features, voxels, block);
    org.apache.beam.sdk.options.PipelineOptions options = runner.build();
    long t0 = System.nanoTime();
    org.clipmsm.pipelines.FitPipeline.run(options, org.clipmsm.pipelines.FitSettings.of(x, y, dir.resolve("fit"))
        .withVoxelsPerBlock(block), org.clipmsm.beam.Progress.lines("clipmsm"));
    double secs = (System.nanoTime() - t0) / 1e9;
    double floor = org.clipmsm.bench.DgemmFloor.secondsFor(org.clipmsm.bench.RidgeBenchmark.minimalFlops(images,
        features, voxels, 0.15, 0.15, org.clipmsm.ridge.AlphaGrid.COUNT));
    System.out.printf("fit pipeline on %s: %.2f s; plain dgemm for the fit's minimal work: %.2f s; ratio %.2fx%n",
        runner.runner, secs, floor, secs / floor);
    if (workDir == null) {
      try (var walk = java.nio.file.Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
