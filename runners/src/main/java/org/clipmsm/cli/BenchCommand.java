package org.clipmsm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.Progress;
import org.clipmsm.bench.BootstrapBenchmark;
import org.clipmsm.bench.DgemmFloor;
import org.clipmsm.bench.DissectBenchmark;
import org.clipmsm.bench.NetDissectBenchmark;
import org.clipmsm.bench.RidgeBenchmark;
import org.clipmsm.bench.SyntheticResponses;
import org.clipmsm.pipelines.FitPipeline;
import org.clipmsm.pipelines.FitSettings;
import org.clipmsm.ridge.AlphaGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Times kernels and pipelines against this machine's dgemm limit, measured in the same run.",
        "fit: the whole ridge fit (split, decomposition, alpha search, refit, test predictions).",
        "bootstrap: 2,000 resamples of the test rows for every voxel.",
        "fit-pipeline: the fit pipeline end to end (read .npy, Beam pipeline, write outputs) on --runner.",
        "dissect: SoftWPMI on synthetic P and Q, 5 and 20,000 labels (or --labels N).",
        "netdissect: Network Dissection on a synthetic Broden-sized probe set (default 3,000 images x 5,000 voxels x"
            + " 1,200 concepts; --images, --voxels, --labels, --features, --voxels-per-block).",
        "embed: images/s of an image encoder (--model) on NSD-sized scenes; compare tools/bench_torch.py."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WHAT", description = "fit, bootstrap, fit-pipeline, dissect, netdissect or"
      + " embed")
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

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** The option's value if given, else a default of the benchmark's own (netdissect's sizes differ from fit's). */
  private int given(String option, int otherwise) {
    return spec.commandLine().getParseResult().matchedOptionValue(option, otherwise);
  }

  @Override
  public Integer call() throws Exception {
    switch (what) {
      case "fit" -> RidgeBenchmark.run(images, features, voxels, block);
      case "bootstrap" -> BootstrapBenchmark.run(testRows, voxels, bootstraps, block);
      case "fit-pipeline" -> {
        try (WorkDir dir = WorkDir.of(workDir, "clipmsm-bench")) {
          fitPipeline(dir.path());
        }
      }
      case "dissect" -> {
        for (int l : labels != null ? new int[] {labels} : new int[] {5, 20000}) {
          DissectBenchmark.run(images, voxels, l, block);
        }
      }
      case "netdissect" -> NetDissectBenchmark.run(given("--images", NetDissectBenchmark.DEFAULT_IMAGES),
          given("--voxels", NetDissectBenchmark.DEFAULT_VOXELS), labels != null ? labels
              : NetDissectBenchmark.DEFAULT_CONCEPTS, features, block);
      case "embed" -> {
        try (WorkDir dir = WorkDir.of(workDir, "clipmsm-bench-embed")) {
          EmbedBenchmark.run(model, stimuli, count, batchSize, dir.path(), runner.build(), runner.runner);
        }
      }
      default -> throw new InvalidInputException("expected fit, bootstrap, fit-pipeline, dissect, netdissect"
          + " or embed, got " + what);
    }
    return 0;
  }

  /** Writes NSD-sized .npy inputs (float32, as real data come), then times the fit pipeline on them. */
  private void fitPipeline(Path dir) {
    Path x = dir.resolve("features.npy");
    Path y = dir.resolve("responses.npy");
    System.out.printf("fit-pipeline benchmark: writing %d images x %d features and %d voxels (float32) to %s%n",
        images, features, voxels, dir);
    SyntheticResponses.write(x, y, images, features, voxels, block);
    PipelineOptions options = runner.build();
    long t0 = System.nanoTime();
    FitPipeline.run(options, FitSettings.of(x, y, dir.resolve("fit")).withVoxelsPerBlock(block),
        Progress.lines("clipmsm"));
    double secs = (System.nanoTime() - t0) / 1e9;
    double floor = DgemmFloor.secondsFor(RidgeBenchmark.minimalFlops(images, features, voxels, 0.15, 0.15,
        AlphaGrid.COUNT));
    System.out.printf("fit pipeline on %s: %.2f s; plain dgemm for the fit's minimal work: %.2f s; ratio %.2fx%n",
        runner.runner, secs, floor, secs / floor);
  }

  /** The benchmark's files: a given directory, kept, or a temporary one, deleted afterwards. */
  private record WorkDir(Path path, boolean temporary) implements AutoCloseable {
    static WorkDir of(String given, String prefix) throws IOException {
      return given != null ? new WorkDir(Files.createDirectories(Path.of(given)), false)
          : new WorkDir(Files.createTempDirectory(prefix), true);
    }

    @Override
    public void close() throws IOException {
      if (temporary) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
