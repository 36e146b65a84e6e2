package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.stats.BenjaminiHochberg;
import org.clipmsm.stats.Bootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignificanceEndToEndTest {
  @TempDir
  Path dir;

  @Test
  void bootstrapThenFdrOnBothRunners() throws Exception {
    int n = 80;
    int v = 60;
    Random rnd = new Random(4);
    double[] y = new double[n * v];
    double[] p = new double[n * v];
    for (int j = 0; j < v; j++) {
      double s = j / (double) v;
      for (int i = 0; i < n; i++) {
        double t = rnd.nextGaussian();
        y[i + j * n] = t + rnd.nextGaussian();
        p[i + j * n] = s * t + 0.2 * rnd.nextGaussian();
      }
    }
    Path pf = dir.resolve("pred.npy");
    Path af = dir.resolve("actual.npy");
    Npy.writeMatrix(pf, p, n, v, Npy.DType.FLOAT64);
    Npy.writeMatrix(af, y, n, v, Npy.DType.FLOAT64);
    Cli direct = Cli.run("significance", "--pred", pf.toString(), "--actual", af.toString(), "--out",
        dir.resolve("direct").toString(), "--bootstraps", "500", "--voxels-per-block", "16");
    assertEquals(0, direct.status, direct.toString());
    Cli flink = Cli.run("significance", "--pred", pf.toString(), "--actual", af.toString(), "--out",
        dir.resolve("flink").toString(), "--bootstraps", "500", "--voxels-per-block", "16", "--runner=FlinkRunner");
    assertEquals(0, flink.status, flink.toString());
    for (String f : new String[] {"r2.npy", "p.npy", "q.npy", "significant.npy"}) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("direct").resolve(f)),
          Files.readAllBytes(dir.resolve("flink").resolve(f)), f);
    }
    double[] expectedP = Bootstrap.resamples(n, 500, 41).pValues(new Matrix(n, v, p), new Matrix(n, v, y));
    assertArrayEquals(expectedP, Npy.readVector(dir.resolve("direct/p.npy")), 0);
    double[] q = BenjaminiHochberg.adjust(expectedP);
    assertArrayEquals(q, Npy.readVector(dir.resolve("direct/q.npy")), 0);
    boolean[] sig = Npy.readBoolVector(dir.resolve("direct/significant.npy"));
    assertArrayEquals(BenjaminiHochberg.significant(q, 0.05), sig);
    int count = 0;
    for (boolean s : sig) {
      count += s ? 1 : 0;
    }
    assertTrue(count > 0 && count < v, "a mix of significant and not: " + count);

    // --p-values only adjusts.
    Path pv = dir.resolve("p_only.npy");
    Npy.writeVector(pv, new double[] {0.01, 0.04, 0.03, 0.005, 0.20}, Npy.DType.FLOAT64);
    Cli adjust = Cli.run("significance", "--p-values", pv.toString(), "--out", dir.resolve("adjust").toString());
    assertEquals(0, adjust.status, adjust.toString());
    assertArrayEquals(new double[] {0.025, 0.05, 0.05, 0.025, 0.20}, Npy.readVector(dir.resolve("adjust/q.npy")),
        1e-15);
  }

  @Test
  void noiseCeilingCommand() {
    Path ncsnr = dir.resolve("ncsnr.npy");
    Npy.writeVector(ncsnr, new double[] {1.0, 0.5, Double.NaN}, Npy.DType.FLOAT32);
    Cli run = Cli.run("noise-ceiling", "--ncsnr", ncsnr.toString(), "--trials", "3", "--out",
        dir.resolve("nc.npy").toString());
    assertEquals(0, run.status, run.toString());
    double[] nc = Npy.readVector(dir.resolve("nc.npy"));
    assertEquals(75.0, nc[0], 1e-12);
    assertEquals(100 * 0.25 / (0.25 + 1.0 / 3), nc[1], 1e-12);
    assertTrue(Double.isNaN(nc[2]));
    Cli mixed = Cli.run("noise-ceiling", "--ncsnr", ncsnr.toString(), "--trial-counts", "1,1,1", "--out",
        dir.resolve("nc_mixed.npy").toString());
    assertEquals(0, mixed.status, mixed.toString());
    assertEquals(900.0 / 31.0, Npy.readVector(dir.resolve("nc_mixed.npy"))[1], 1e-12);
  }
}
