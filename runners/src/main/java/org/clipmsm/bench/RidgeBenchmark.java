package org.clipmsm.bench;

import java.util.Random;
import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.ridge.AlphaGrid;
import org.clipmsm.ridge.DataSplit;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.RidgeDecomposition;
import org.clipmsm.ridge.RidgeSolver;

/**
 * The voxel-wise ridge fit at NSD scale (default 10,000 images x 512 features x 20,000 voxels, 100 alphas, 15%
 * hold-out validation) against plain dgemm doing the fit's minimal floating-point work, in the same run.
 *
 * <p>Minimal work, counted in floating-point operations (2 per multiply-add), with nF fitting, nV validation,
 * nT training and nE test rows, p features, r = min(nF, p), m voxels, A alphas: U^T Yf 2 nF r m; Q^T Yv 2 nV r m;
 * per alpha the triangular R (g o B) r^2 m; the refit's X^T Y from the fold pieces 2 p r m + 2 nV p m, then
 * V2^T C and V2 D 4 p r m; test predictions 2 nE p m. The SVDs and QR (O(n p^2), under 2% here) are timed but
 * not counted, so the ratio slightly overstates the overhead.
 */
public final class RidgeBenchmark {
  private RidgeBenchmark() {}

  public static void main(String[] args) {
    run(intArg(args, 0, 10000), intArg(args, 1, 512), intArg(args, 2, 20000), intArg(args, 3, 1024));
  }

  public static void run(int n, int p, int voxels, int shard) {
    System.out.printf("ridge fit benchmark: %d images x %d features x %d voxels, %d alphas, hold-out 15%%,"
        + " %d voxels per shard, native BLAS: %s%n", n, p, voxels, AlphaGrid.COUNT, shard, Linalg.isNative());
    Random rnd = new Random(7);
    Matrix x = SyntheticResponses.features(n, p, rnd);
    int shards = (voxels + shard - 1) / shard;
    Matrix[] blocks = new Matrix[shards];
    for (int s = 0; s < shards; s++) {
      blocks[s] = SyntheticResponses.block(x, Math.min(shard, voxels - s * shard), rnd);
    }
    long t0 = System.nanoTime();
    int[][] tt = DataSplit.seeded(n, 0.15, 42);
    DataSplit split = new DataSplit(n, tt[0], tt[1], DataSplit.holdOut(tt[0], 0.15, 42));
    double[] alphas = AlphaGrid.code(p);
    RidgeDecomposition d = RidgeDecomposition.compute(x, split, alphas);
    long t1 = System.nanoTime();
    double meanR2 = 0;
    for (int s = 0; s < shards; s++) {
      RidgeBlockResult res = RidgeSolver.solve(d, (long) s * shard, blocks[s]);
      for (double v : res.r2()) {
        meanR2 += v / voxels;
      }
    }
    long t2 = System.nanoTime();
    double fit = (t2 - t0) / 1e9;
    double flops = minimalFlops(n, p, voxels, 0.15, 0.15, alphas.length);
    double floor = DgemmFloor.secondsFor(flops);
    System.out.printf("decomposition (split, SVDs, QR): %.2f s; voxel shards (alpha search, refit, test): %.2f s;"
        + " mean test R^2 %.3f%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, meanR2);
    System.out.printf("whole fit: %.2f s; plain dgemm for the same %.0f GFLOP: %.2f s (%.0f GFLOP/s);"
        + " ratio %.2fx%n", fit, flops / 1e9, floor, flops / floor / 1e9, fit / floor);
  }

  /** The fit's minimal floating-point work (see the class comment) for a seeded hold-out split. */
  public static double minimalFlops(int n, int p, int voxels, double testFraction, double valFraction, int alphas) {
    int ne = (int) Math.ceil(testFraction * n);
    int nt = n - ne;
    int nv = (int) Math.ceil(valFraction * nt);
    int nf = nt - nv;
    int r = Math.min(nf, p);
    double m = voxels;
    return 2.0 * nf * r * m + 2.0 * nv * r * m + alphas * (double) r * r * m + 2.0 * p * r * m
        + 2.0 * nv * p * m + 4.0 * p * r * m + 2.0 * ne * p * m;
  }

  static int intArg(String[] args, int i, int def) {
    return args.length > i ? Integer.parseInt(args[i]) : def;
  }
}
