package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one error line naming the file or option, exit status 2, nothing written. */
class BadInputTest {
  @TempDir
  Path dir;
  Path x;
  Path y;
  Path out;

  @BeforeEach
  void files() {
    Random rnd = new Random(2);
    double[] xv = new double[100 * 4];
    double[] yv = new double[100 * 5];
    for (int i = 0; i < xv.length; i++) {
      xv[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < yv.length; i++) {
      yv[i] = rnd.nextGaussian();
    }
    x = dir.resolve("features.npy");
    y = dir.resolve("responses.npy");
    out = dir.resolve("out");
    Npy.writeMatrix(x, xv, 100, 4, Npy.DType.FLOAT64);
    Npy.writeMatrix(y, yv, 100, 5, Npy.DType.FLOAT32);
  }

  private void assertRejected(String mustMention, String... args) throws IOException {
    Cli.assertRejected(out, mustMention, args);
  }

  private String[] fit(Path features, Path responses, String... extra) {
    String[] base = {"fit", "--features", features.toString(), "--responses", responses.toString(), "--out",
        out.toString()};
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void mismatchedRows() throws IOException {
    Path short90 = dir.resolve("short.npy");
    Npy.writeMatrix(short90, new double[90 * 5], 90, 5, Npy.DType.FLOAT64);
    assertRejected("short.npy", fit(x, short90));
  }

  @Test
  void nonFiniteFeatures() throws IOException {
    double[] xv = Npy.readMatrix(x);
    xv[17 + 2 * 100] = Double.NaN;
    Npy.writeMatrix(x, xv, 100, 4, Npy.DType.FLOAT64);
    assertRejected("features.npy: non-finite value NaN at row 17, column 2", fit(x, y));
  }

  @Test
  void responsesNotTwoDimensional() throws IOException {
    Path v = dir.resolve("vector.npy");
    Npy.writeVector(v, new double[100], Npy.DType.FLOAT64);
    assertRejected("vector.npy: expected a 2-D array", fit(x, v));
  }

  @Test
  void unreadableAndMissingFiles() throws IOException {
    Path junk = dir.resolve("junk.npy");
    Files.writeString(junk, "this is not numpy");
    assertRejected("junk.npy", fit(x, junk));
    assertRejected("missing.npy", fit(dir.resolve("missing.npy"), y));
  }

  @Test
  void truncatedData() throws IOException {
    byte[] bytes = Files.readAllBytes(y);
    Path cut = dir.resolve("cut.npy");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertRejected("cut.npy", fit(x, cut));
  }

  @Test
  void testIndexOutOfRange() throws IOException {
    Path idx = dir.resolve("idx.npy");
    Npy.writeLongVector(idx, new long[] {1, 2, 3, 100});
    assertRejected("idx.npy: row index 100 is out of range", fit(x, y, "--test-index", idx.toString()));
  }

  @Test
  void tooFewTestRows() throws IOException {
    assertRejected("test rows", fit(x, y, "--test-fraction", "0.01"));
  }

  @Test
  void badOptions() throws IOException {
    assertRejected("--alphas", fit(x, y, "--alphas", "1,oops"));
    assertRejected("--runner", fit(x, y, "--runner", "SparkRunner"));
    assertRejected("--folds", fit(x, y, "--folds", "1"));
  }

  @Test
  void significanceShapesMustAgree() throws IOException {
    Path p = dir.resolve("pred.npy");
    Npy.writeMatrix(p, new double[100 * 4], 100, 4, Npy.DType.FLOAT64);
    assertRejected("responses.npy", "significance", "--pred", p.toString(), "--actual", y.toString(), "--out",
        out.toString());
  }

  @Test
  void noiseCeilingNeedsExactlyOneTrialSpec() throws IOException {
    Path ncsnr = dir.resolve("ncsnr.npy");
    Npy.writeVector(ncsnr, new double[] {0.5, 1}, Npy.DType.FLOAT64);
    Path nc = out.resolve("nc.npy");
    assertRejected("--trials", "noise-ceiling", "--ncsnr", ncsnr.toString(), "--out", nc.toString());
    assertRejected("--trial-counts", "noise-ceiling", "--ncsnr", ncsnr.toString(), "--trial-counts", "3,2",
        "--out", nc.toString());
  }
}
