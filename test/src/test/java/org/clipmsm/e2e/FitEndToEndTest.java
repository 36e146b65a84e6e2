package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.DemoData;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.ridge.AlphaGrid;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.RidgeDecomposition;
import org.clipmsm.ridge.RidgeSolver;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.schemas.EncodingModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipmsm fit} as a user runs it, on both runners. */
class FitEndToEndTest {
  static final List<String> OUTPUTS = List.of("weights.npy", "intercept.npy", "feature_mean.npy", "bias.npy",
      "alpha.npy", "test_index.npy", "pred_test.npy", "r2.npy", "r.npy", "models.avro", OutputDirectory.MARKER);

  @TempDir
  static Path tmp;
  static Path data;

  @BeforeAll
  static void data() {
    data = tmp.resolve("data");
    data.toFile().mkdirs();
    DemoData.write(data, 5, 400, 12, 150);
  }

  private static String[] fit(Path out, String... extra) {
    String[] base = {"fit", "--features", data.resolve("features.npy").toString(), "--responses",
        data.resolve("responses.npy").toString(), "--out", out.toString(), "--voxels-per-block", "40"};
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void directAndFlinkAtAnyParallelismWriteIdenticalBytes() throws IOException {
    Path direct1 = tmp.resolve("direct1");
    Path direct3 = tmp.resolve("direct3");
    Path flink = tmp.resolve("flink");
    Cli a = Cli.run(fit(direct1, "--parallelism", "1"));
    assertEquals(0, a.status, a.toString());
    Cli b = Cli.run(fit(direct3, "--parallelism=3"));
    assertEquals(0, b.status, b.toString());
    Cli c = Cli.run(fit(flink, "--runner", "FlinkRunner", "--flinkMaster=[local]", "--parallelism", "2"));
    assertEquals(0, c.status, c.toString());
    for (String f : OUTPUTS) {
      byte[] ref = Files.readAllBytes(direct1.resolve(f));
      assertArrayEquals(ref, Files.readAllBytes(direct3.resolve(f)), f + ": Direct parallelism 1 vs 3");
      assertArrayEquals(ref, Files.readAllBytes(flink.resolve(f)), f + ": Direct vs Flink");
    }
    try (Stream<Path> left = Files.list(direct1)) {
      assertEquals(OUTPUTS.size() + 1, left.count(), "the outputs and the manifest, no staging leftovers");
    }
    assertTrue(Files.isRegularFile(direct1.resolve("manifest.json")));
  }

  @Test
  void outputsMatchTheKernelAndTheirOwnDefinitions() throws IOException {
    Path out = tmp.resolve("check");
    Cli run = Cli.run(fit(out, "--alphas", "paper"));
    assertEquals(0, run.status, run.toString());
    assertTrue(run.out.contains("150 voxels"), run.out);

    var xh = Npy.readHeader(data.resolve("features.npy"));
    Matrix x = new Matrix(xh.rows(), xh.cols(), Npy.readMatrix(data.resolve("features.npy")));
    Matrix y = new Matrix(400, 150, Npy.readMatrix(data.resolve("responses.npy")));
    RidgeBlockResult ref = RidgeSolver.solve(
        RidgeDecomposition.compute(x, SplitSpec.defaults().toSplit(400), AlphaGrid.paper()), 0, y);

    double[] w = Npy.readMatrix(out.resolve("weights.npy"));
    assertEquals(12 * 150, w.length);
    for (int i = 0; i < w.length; i++) {
      assertEquals(ref.weights().data()[i], w[i], 1e-9 * (1 + Math.abs(w[i])));
    }
    assertArrayEquals(ref.alpha(), Npy.readVector(out.resolve("alpha.npy")));
    long[] testIndex = Npy.readLongVector(out.resolve("test_index.npy"));
    assertEquals(60, testIndex.length); // ceil(0.15 * 400)
    // r2.npy is R^2 of pred_test.npy against the responses of the test rows, recomputed here from the files.
    double[] pred = Npy.readMatrix(out.resolve("pred_test.npy"));
    double[] r2 = Npy.readVector(out.resolve("r2.npy"));
    for (int j = 0; j < 150; j++) {
      double mean = 0;
      for (long row : testIndex) {
        mean += y.get((int) row, j) / testIndex.length;
      }
      double ss = 0;
      double sse = 0;
      for (int i = 0; i < testIndex.length; i++) {
        double yt = y.get((int) testIndex[i], j);
        ss += (yt - mean) * (yt - mean);
        sse += (yt - pred[i + j * testIndex.length]) * (yt - pred[i + j * testIndex.length]);
      }
      assertEquals(1 - sse / ss, r2[j], 1e-9);
    }
    try (DataFileReader<EncodingModel> models =
        new DataFileReader<>(out.resolve("models.avro").toFile(), new SpecificDatumReader<>(EncodingModel.class))) {
      int j = 0;
      for (EncodingModel m : models) {
        assertEquals(j, m.getVoxel());
        assertEquals(r2[j], m.getR2(), 0);
        assertEquals(w[3 + j * 12], m.getWeights().get(3), 0); // column-major 12 x 150
        j++;
      }
      assertEquals(150, j);
    }
  }

  @Test
  void significanceAndNoiseCeilingFillTheRecordsOnBothRunners() throws IOException {
    String[] extra = {"--significance", "--bootstraps", "300", "--ncsnr", data.resolve("ncsnr.npy").toString(),
        "--trials", "3"};
    Path out = tmp.resolve("full");
    Cli run = Cli.run(fit(out, extra));
    assertEquals(0, run.status, run.toString());
    String[] flinkArgs = java.util.Arrays.copyOf(extra, extra.length + 1);
    flinkArgs[extra.length] = "--runner=FlinkRunner";
    Path flinkOut = tmp.resolve("full-flink");
    Cli flink = Cli.run(fit(flinkOut, flinkArgs));
    assertEquals(0, flink.status, flink.toString());
    for (String f : List.of("models.avro", "p.npy", "q.npy", "significant.npy", "noise_ceiling.npy")) {
      assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(flinkOut.resolve(f)), f);
    }
    // Independent: the bootstrap kernel on the written test predictions and the test rows' responses.
    long[] testIndex = Npy.readLongVector(out.resolve("test_index.npy"));
    int nt = testIndex.length;
    Matrix y = new Matrix(400, 150, Npy.readMatrix(data.resolve("responses.npy")));
    int[] rows = java.util.Arrays.stream(testIndex).mapToInt(v -> (int) v).toArray();
    Matrix pred = new Matrix(nt, 150, Npy.readMatrix(out.resolve("pred_test.npy")));
    double[] p = org.clipmsm.stats.Bootstrap.resamples(nt, 300, 41).pValues(pred, y.selectRows(rows));
    double[] q = org.clipmsm.stats.BenjaminiHochberg.adjust(p);
    assertArrayEquals(p, Npy.readVector(out.resolve("p.npy")), 0);
    assertArrayEquals(q, Npy.readVector(out.resolve("q.npy")), 0);
    double[] ncsnr = Npy.readVector(data.resolve("ncsnr.npy"));
    try (DataFileReader<EncodingModel> models =
        new DataFileReader<>(out.resolve("models.avro").toFile(), new SpecificDatumReader<>(EncodingModel.class))) {
      int significant = 0;
      for (EncodingModel m : models) {
        int j = (int) m.getVoxel();
        assertEquals(p[j], m.getP(), 0);
        assertEquals(q[j], m.getQ(), 0);
        assertEquals(q[j] <= 0.05, m.getSignificant());
        significant += m.getSignificant() ? 1 : 0;
        double s2 = ncsnr[j] * ncsnr[j];
        assertEquals(100 * s2 / (s2 + 1.0 / 3), m.getNoiseCeiling(), 1e-9);
      }
      assertTrue(significant > 0 && significant < 150, "significant voxels: " + significant);
    }
  }

  @Test
  void explicitSplitAndKFold() {
    Path idx = tmp.resolve("test_rows.npy");
    long[] rows = new long[50];
    for (int i = 0; i < 50; i++) {
      rows[i] = 7 * i + 3;
    }
    Npy.writeLongVector(idx, rows);
    Path out = tmp.resolve("explicit");
    Cli run = Cli.run(fit(out, "--test-index", idx.toString(), "--folds", "4"));
    assertEquals(0, run.status, run.toString());
    assertArrayEquals(rows, Npy.readLongVector(out.resolve("test_index.npy")));
    assertEquals(50, Npy.readHeader(out.resolve("pred_test.npy")).rows());
  }

  @Test
  void constantAndNanVoxelsAreCountedNotFatal() {
    Random rnd = new Random(1);
    int n = 100;
    double[] x = new double[n * 3];
    double[] y = new double[n * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      y[i] = x[i] + 0.1 * rnd.nextGaussian();
      y[n + i] = 2.5; // constant
      y[2 * n + i] = Double.NaN; // all NaN
      y[3 * n + i] = x[n + i] - x[i];
    }
    Path dir = tmp.resolve("nanvox");
    dir.toFile().mkdirs();
    Npy.writeMatrix(dir.resolve("x.npy"), x, n, 3, Npy.DType.FLOAT64);
    Npy.writeMatrix(dir.resolve("y.npy"), y, n, 4, Npy.DType.FLOAT32);
    Cli run = Cli.run("fit", "--features", dir.resolve("x.npy").toString(), "--responses",
        dir.resolve("y.npy").toString(), "--out", dir.resolve("out").toString());
    assertEquals(0, run.status, run.toString());
    assertTrue(run.err.contains("warning: 2 voxels have undefined R^2"), run.err);
    double[] r2 = Npy.readVector(dir.resolve("out/r2.npy"));
    assertTrue(r2[0] > 0.9 && r2[3] > 0.9, java.util.Arrays.toString(r2));
    assertTrue(Double.isNaN(r2[1]) && Double.isNaN(r2[2]), java.util.Arrays.toString(r2));
  }
}
