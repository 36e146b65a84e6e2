package org.clipmsm.bench;

import java.util.Random;
import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.stats.Bootstrap;

/**
 * Bootstrap significance at NSD scale (default 2,000 resamples x 1,500 test rows x 20,000 voxels) against plain dgemm
 * doing its minimal floating-point work in the same run: the count matrix (B x n) times [E | y | y^2] (n x 3m),
 * 2 B n 3m operations. Drawing the resamples and the per-voxel counting are timed but not counted.
 */
public final class BootstrapBenchmark {
  private BootstrapBenchmark() {}

  public static void main(String[] args) {
    run(RidgeBenchmark.intArg(args, 0, 1500), RidgeBenchmark.intArg(args, 1, 20000),
        RidgeBenchmark.intArg(args, 2, 2000), RidgeBenchmark.intArg(args, 3, 1024));
  }

  public static void run(int n, int voxels, int resamples, int shard) {
    System.out.printf("bootstrap benchmark: %d resamples x %d test rows x %d voxels, %d voxels per block,"
        + " native BLAS: %s%n", resamples, n, voxels, shard, Linalg.isNative());
    Random rnd = new Random(3);
    int shards = (voxels + shard - 1) / shard;
    Matrix[] pred = new Matrix[shards];
    Matrix[] actual = new Matrix[shards];
    for (int s = 0; s < shards; s++) {
      int m = Math.min(shard, voxels - s * shard);
      pred[s] = Matrix.zeros(n, m);
      actual[s] = Matrix.zeros(n, m);
      for (int i = 0; i < n * m; i++) {
        double truth = rnd.nextGaussian();
        actual[s].data()[i] = truth + rnd.nextGaussian();
        pred[s].data()[i] = 0.1 * truth + 0.1 * rnd.nextGaussian();
      }
    }
    long t0 = System.nanoTime();
    Bootstrap b = Bootstrap.resamples(n, resamples, 41);
    long t1 = System.nanoTime();
    int significant = 0;
    for (int s = 0; s < shards; s++) {
      for (double p : b.pValues(pred[s], actual[s])) {
        significant += p < 0.05 ? 1 : 0;
      }
    }
    long t2 = System.nanoTime();
    double total = (t2 - t0) / 1e9;
    double flops = 2.0 * resamples * n * 3.0 * voxels;
    double floor = DgemmFloor.secondsFor(flops);
    System.out.printf("resample draws: %.2f s; p-values: %.2f s; voxels with p < 0.05: %d%n", (t1 - t0) / 1e9,
        (t2 - t1) / 1e9, significant);
    System.out.printf("whole bootstrap: %.2f s; plain dgemm for the same %.0f GFLOP: %.2f s (%.0f GFLOP/s);"
        + " ratio %.2fx%n", total, flops / 1e9, floor, flops / floor / 1e9, total / floor);
  }
}
