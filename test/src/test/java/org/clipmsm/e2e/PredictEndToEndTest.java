package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.pipelines.DemoData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipmsm predict}: a fitted model applied to new images, as scikit-learn's predict. */
class PredictEndToEndTest {
  @TempDir
  static Path tmp;
  static Path fit;

  @BeforeAll
  static void fitAModel() {
    DemoData.write(tmp, 7, 300, 10, 60);
    fit = tmp.resolve("fit");
    Cli run = Cli.run("fit", "--features", tmp.resolve("features.npy").toString(), "--responses",
        tmp.resolve("responses.npy").toString(), "--out", fit.toString(), "--voxels-per-block", "25");
    assertEquals(0, run.status, run.toString());
  }

  @Test
  void reproducesTheFitsOwnTestPredictionsFromWeightsAndIntercept() {
    // The test rows of the features, in test_index order, as a new-images file.
    double[] x = Npy.readMatrix(tmp.resolve("features.npy"));
    NpyHeader xh = Npy.readHeader(tmp.resolve("features.npy"));
    long[] test = Npy.readLongVector(fit.resolve("test_index.npy"));
    double[] xTest = new double[test.length * xh.cols()];
    for (int j = 0; j < xh.cols(); j++) {
      for (int i = 0; i < test.length; i++) {
        xTest[i + j * test.length] = x[(int) test[i] + j * xh.rows()];
      }
    }
    Path newImages = tmp.resolve("x_test.npy");
    Npy.writeMatrix(newImages, xTest, test.length, xh.cols(), Npy.DType.FLOAT64);
    Path pred = tmp.resolve("pred.npy");
    Cli run = Cli.run("predict", "--model", fit.toString(), "--features", newImages.toString(), "--out",
        pred.toString());
    assertEquals(0, run.status, run.toString());
    assertArrayEquals(Npy.readHeader(fit.resolve("pred_test.npy")).shape(), Npy.readHeader(pred).shape());
    double[] expected = Npy.readMatrix(fit.resolve("pred_test.npy"));
    double[] got = Npy.readMatrix(pred);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], got[k], 1e-10 * (1 + Math.abs(expected[k])), "prediction " + k);
    }
    // bias.npy is not the intercept: X W + bias would be off wherever the features' means are not zero.
    double[] bias = Npy.readVector(fit.resolve("bias.npy"));
    double[] intercept = Npy.readVector(fit.resolve("intercept.npy"));
    boolean differs = false;
    for (int v = 0; v < bias.length; v++) {
      differs |= Math.abs(bias[v] - intercept[v]) > 1e-6;
    }
    assertEquals(true, differs, "the features are not centred, so intercept and bias must differ");
    assertEquals(xh.cols(), Npy.readVector(fit.resolve("feature_mean.npy")).length);
  }

  @Test
  void rejectsFeaturesOfAnotherWidthWithOneLine() throws Exception {
    Path wrong = tmp.resolve("wrong.npy");
    Npy.writeMatrix(wrong, new double[5 * 7], 5, 7, Npy.DType.FLOAT64);
    Path out = tmp.resolve("wrong-pred.npy");
    Cli run = Cli.run("predict", "--model", fit.toString(), "--features", wrong.toString(), "--out", out.toString());
    assertEquals(2, run.status, run.toString());
    String errors = run.errorLines().strip();
    assertEquals(1, errors.lines().count(), run.toString());
    assertEquals(true, errors.contains("wrong.npy: 7 features, but weights.npy has 10 rows"), errors);
    assertFalse(Files.exists(out));
  }
}
