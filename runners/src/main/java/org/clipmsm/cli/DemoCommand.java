package org.clipmsm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.io.Npy;
import org.clipmsm.pipelines.DemoData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The main job on synthetic data with a known answer: writes features, responses and ncsnr",
        "into DIR/data, then runs fit, significance and noise-ceiling into DIR/fit, DIR/significance and",
        "DIR/noise_ceiling.npy, and compares each voxel's test R^2 with its noise ceiling."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output directory"
      + " (default ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--images", defaultValue = "2000", description = "Images (default ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--features", defaultValue = "64", description = "Features (default ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--voxels", defaultValue = "3000", description = "Voxels (default ${DEFAULT-VALUE}).")
  int voxels;

  @Mixin
  RunnerOptions runner;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = Path.of(out);
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    DemoData.write(data, seed, images, features, voxels);
    System.out.printf("demo: synthetic data in %s: %d images x %d features, %d voxels%n", data, images, features,
        voxels);
    String[] common = runnerArgs();
    int rc = ClipMsm.run(concat(new String[] {"fit", "--features", data.resolve("features.npy").toString(),
        "--responses", data.resolve("responses.npy").toString(), "--out", dir.resolve("fit").toString()}, common));
    if (rc != 0) {
      return rc;
    }
    rc = ClipMsm.run(concat(new String[] {"significance", "--pred", dir.resolve("fit/pred_test.npy").toString(),
        "--actual", testResponses(dir, data).toString(), "--out", dir.resolve("significance").toString()}, common));
    if (rc != 0) {
      return rc;
    }
    rc = ClipMsm.run(concat(new String[] {"noise-ceiling", "--ncsnr", data.resolve("ncsnr.npy").toString(),
        "--trials", String.valueOf(DemoData.TRIALS), "--out", dir.resolve("noise_ceiling.npy").toString()}, common));
    if (rc != 0) {
      return rc;
    }
    double[] r2 = Npy.readVector(dir.resolve("fit/r2.npy"));
    double[] nc = Npy.readVector(dir.resolve("noise_ceiling.npy"));
    boolean[] sig = Npy.readBoolVector(dir.resolve("significance/significant.npy"));
    int below = 0;
    int nsig = 0;
    double gap = 0;
    for (int j = 0; j < r2.length; j++) {
      below += 100 * r2[j] <= nc[j] + 2 ? 1 : 0;
      nsig += sig[j] ? 1 : 0;
      gap += (nc[j] - 100 * r2[j]) / r2.length;
    }
    System.out.printf("demo: %d of %d voxels significant; 100 R^2 within the noise ceiling (+2 points) for %d;"
        + " mean noise ceiling - 100 R^2 = %.1f points%n", nsig, r2.length, below, gap);
    return 0;
  }

  /** The measured responses of the test rows, in test_index order, for the significance step. */
  private static Path testResponses(Path dir, Path data) {
    long[] rows = Npy.readLongVector(dir.resolve("fit/test_index.npy"));
    var h = Npy.readHeader(data.resolve("responses.npy"));
    double[] all = Npy.readMatrix(data.resolve("responses.npy"));
    int n = h.rows();
    int v = h.cols();
    double[] test = new double[rows.length * v];
    for (int j = 0; j < v; j++) {
      for (int i = 0; i < rows.length; i++) {
        test[i + j * rows.length] = all[(int) rows[i] + j * n];
      }
    }
    Path f = data.resolve("responses_test.npy");
    Npy.writeMatrix(f, test, rows.length, v, Npy.DType.FLOAT64);
    return f;
  }

  private String[] runnerArgs() {
    java.util.List<String> a = new java.util.ArrayList<>(runner.beamArgs);
    a.add("--runner=" + runner.runner);
    if (runner.parallelism > 0) {
      a.add("--parallelism=" + runner.parallelism);
    }
    a.add("--flinkMaster=" + runner.flinkMaster);
    return a.toArray(String[]::new);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
