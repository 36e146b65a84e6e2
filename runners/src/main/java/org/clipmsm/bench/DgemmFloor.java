package org.clipmsm.bench;

import java.util.Random;
import org.clipmsm.linalg.Linalg;

/**
 * The machine's own limit, measured in the same run as a benchmark: plain square dgemm calls (n = 2048, the size at
 * which OpenBLAS reaches its peak here) repeated until they have done a given number of floating-point operations.
 */
public final class DgemmFloor {
  private static final int N = 2048;

  private DgemmFloor() {}

  /** Seconds that plain dgemm takes for {@code flops} floating-point operations (2 per multiply-add). */
  public static double secondsFor(double flops) {
    Random rnd = new Random(1);
    double[] a = new double[N * N];
    double[] b = new double[N * N];
    double[] c = new double[N * N];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextDouble();
      b[i] = rnd.nextDouble();
    }
    double perCall = 2.0 * N * N * N;
    Linalg.blas().dgemm("N", "N", N, N, N, 1.0, a, N, b, N, 0.0, c, N); // warm-up
    long calls = Math.max(1, Math.round(flops / perCall));
    long t0 = System.nanoTime();
    for (long i = 0; i < calls; i++) {
      Linalg.blas().dgemm("N", "N", N, N, N, 1.0, a, N, b, N, 0.0, c, N);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return secs * flops / (calls * perCall);
  }

  /** GFLOP/s of plain dgemm. */
  public static double gflops() {
    double flops = 10 * 2.0 * N * N * N;
    return flops / secondsFor(flops) / 1e9;
  }
}
