package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.clipmsm.pipelines.output.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker failure on Flink: one bundle of one stage fails once ({@code --failOnce}); with Flink's restart strategy
 * ({@code --numberOfExecutionRetries}) the job recovers and every output has the digest of a run without the failure;
 * without retries the same failure fails the run and leaves nothing behind.
 */
class FaultRecoveryTest {
  @TempDir
  static Path tmp;

  @BeforeAll
  static void data() {
    Random rnd = new Random(5);
    int n = 300;
    double[] x = new double[n * 8];
    double[] y = new double[n * 64];
    double[] p = new double[n * 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i % x.length] + rnd.nextGaussian();
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = 0.22 + 0.03 * rnd.nextGaussian();
    }
    Npy.writeMatrix(tmp.resolve("X.npy"), x, n, 8, Npy.DType.FLOAT64);
    Npy.writeMatrix(tmp.resolve("Y.npy"), y, n, 64, Npy.DType.FLOAT32);
    Npy.writeMatrix(tmp.resolve("P.npy"), p, n, 5, Npy.DType.FLOAT64);
  }

  static String[] fit(Path out) {
    return new String[] {"fit", "--features", tmp.resolve("X.npy").toString(), "--responses",
        tmp.resolve("Y.npy").toString(), "--significance", "--voxels-per-block", "16", "--out", out.toString()};
  }

  static String[] dissect(Path out) {
    return new String[] {"dissect", "--activations", tmp.resolve("Y.npy").toString(), "--similarities",
        tmp.resolve("P.npy").toString(), "--voxels-per-block", "16", "--out", out.toString()};
  }

  /** Flink with two workers, the failure injected into {@code stage}, and {@code retries} restarts allowed. */
  static String[] onFlinkFailingOnce(String[] command, String stage, Path marker, int retries) {
    return StudyEndToEndTest.concat(command, "--runner", "FlinkRunner", "--parallelism", "2",
        "--numberOfExecutionRetries=" + retries, "--executionRetryDelay=100", "--failOnce=" + stage,
        "--failOnceMarker=" + marker);
  }

  void recovers(String name, String[] direct, String[] flink, Path marker) throws Exception {
    Path a = tmp.resolve("direct-" + name);
    Path b = tmp.resolve("flink-" + name);
    StudyEndToEndTest.ok(direct);
    Cli c = Cli.run(flink);
    assertEquals(0, c.status, c.toString());
    assertTrue(Files.list(marker).findAny().isPresent(), "the failure was injected");
    assertEquals(Manifest.read(a.resolve(Manifest.FILE)).outputs(), Manifest.read(b.resolve(Manifest.FILE)).outputs(),
        "the recovered run's outputs have the digests of a run without the failure");
    StudyEndToEndTest.assertSameTree(a, b);
  }

  @Test
  void aFitWhoseWorkerFailsOnceRecoversWithTheSameOutputs() throws Exception {
    Path marker = Files.createDirectory(tmp.resolve("marker-fit"));
    recovers("fit", fit(tmp.resolve("direct-fit")), onFlinkFailingOnce(fit(tmp.resolve("flink-fit")), "fit", marker, 2),
        marker);
  }

  @Test
  void aDissectionWhoseWorkerFailsOnceRecoversWithTheSameOutputs() throws Exception {
    Path marker = Files.createDirectory(tmp.resolve("marker-score"));
    recovers("dissect", dissect(tmp.resolve("direct-dissect")), onFlinkFailingOnce(dissect(
        tmp.resolve("flink-dissect")), "score", marker, 2), marker);
  }

  @Test
  void withoutRetriesTheFailureFailsTheRunAndLeavesNothing() throws Exception {
    Path marker = Files.createDirectory(tmp.resolve("marker-none"));
    Path out = tmp.resolve("no-retry");
    Cli c = Cli.run(onFlinkFailingOnce(fit(out), "fit", marker, 0));
    assertEquals(1, c.status, c.toString());
    assertTrue(c.err.contains("injected failure"), c.err);
    assertFalse(Files.exists(out), "nothing half-written");
  }
}
