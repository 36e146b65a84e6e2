package org.clipmsm.nsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.clipmsm.InvalidInputException;
import org.clipmsm.nsd.ResponsePreprocessing.ZScore;
import org.junit.jupiter.api.Test;

/**
 * Checks z-scoring and repetition averaging against direct computations: the means and population sds of the
 * blocks are recomputed here from the trial numbers (750 per session, runs of 63/62), not from NsdTrial fields.
 */
class ResponsePreprocessingTest {
  private static final int SESSIONS = 3;
  private static final int TRIALS = SESSIONS * 750;
  private static final int VOXELS = 4;
  private static final double TOL = 1e-12;

  /** Image A: 3 repetitions (trials 5, 800, 2000); image B: 1 (trial 10); every other trial its own image. */
  private static final int A = 42;
  private static final int B = 7;

  private static NsdDesign design() {
    int[] ids = new int[TRIALS];
    for (int t = 0; t < TRIALS; t++) {
      ids[t] = 1000 + t;
    }
    ids[5] = A;
    ids[800] = A;
    ids[2000] = A;
    ids[10] = B;
    return new NsdDesign(1, SESSIONS, ids);
  }

  /** Column-major trials x voxels: voxel v has its own scale and a per-session offset; voxel 3 constant in session 2. */
  private static double[] betas() {
    Random rnd = new Random(11);
    double[] x = new double[TRIALS * VOXELS];
    for (int v = 0; v < VOXELS; v++) {
      for (int t = 0; t < TRIALS; t++) {
        x[v * TRIALS + t] = (v + 1) * rnd.nextGaussian() + 5 * (t / 750) - 2 * v;
      }
    }
    for (int t = 750; t < 1500; t++) {
      x[3 * TRIALS + t] = 0.1; // a constant voxel: sum/n of 0.1s is not exactly 0.1, so the sd is not exactly 0
    }
    return x;
  }

  /** Run (1..12) of a row by walking the 63/62 run lengths. */
  private static int run(int row) {
    int start = 0;
    for (int run = 1; ; run++) {
      start += run % 2 == 1 ? 63 : 62;
      if (row < start) {
        return run;
      }
    }
  }

  private static int blockKey(int t, ZScore mode) {
    return mode == ZScore.SESSION ? t / 750 : (t / 750) * 100 + run(t % 750);
  }

  /** Direct z-score of one value: mean and population sd over the trials with the same block key. */
  private static double directZ(double[] x, int v, int t, ZScore mode) {
    int key = blockKey(t, mode);
    double sum = 0;
    int n = 0;
    for (int u = 0; u < TRIALS; u++) {
      if (blockKey(u, mode) == key) {
        sum += x[v * TRIALS + u];
        n++;
      }
    }
    double mean = sum / n;
    double ss = 0;
    for (int u = 0; u < TRIALS; u++) {
      if (blockKey(u, mode) == key) {
        double d = x[v * TRIALS + u] - mean;
        ss += d * d;
      }
    }
    return (x[v * TRIALS + t] - mean) / Math.sqrt(ss / n);
  }

  @Test
  void sessionZScoreEqualsDirectComputation() {
    checkZScore(ZScore.SESSION, new int[] {0, 1, 62, 63, 749, 750, 1499, 1500, 2249});
  }

  @Test
  void runZScoreEqualsDirectComputation() {
    checkZScore(ZScore.RUN, new int[] {0, 62, 63, 124, 125, 700, 749, 750, 812, 813, 2249});
  }

  private static void checkZScore(ZScore mode, int[] picks) {
    double[] x = betas();
    double[] z = x.clone();
    ResponsePreprocessing.zScore(z, VOXELS, design().trials(), mode);
    for (int v = 0; v < 3; v++) {
      for (int t : picks) {
        assertEquals(directZ(x, v, t, mode), z[v * TRIALS + t], TOL, mode + " voxel " + v + " trial " + t);
      }
    }
    // Every block of every voxel has mean 0 and population sd 1 afterwards (voxel 3 in session 2: all 0).
    int blocks = mode == ZScore.SESSION ? SESSIONS : SESSIONS * 12;
    for (int v = 0; v < VOXELS; v++) {
      double[] sum = new double[blocks];
      double[] sq = new double[blocks];
      int[] n = new int[blocks];
      for (int t = 0; t < TRIALS; t++) {
        int b = mode == ZScore.SESSION ? t / 750 : (t / 750) * 12 + run(t % 750) - 1;
        double val = z[v * TRIALS + t];
        sum[b] += val;
        sq[b] += val * val;
        n[b]++;
      }
      for (int b = 0; b < blocks; b++) {
        boolean constantBlock = v == 3 && (mode == ZScore.SESSION ? b == 1 : b / 12 == 1);
        assertEquals(0, sum[b] / n[b], 1e-12, mode + " mean, voxel " + v + " block " + b);
        assertEquals(constantBlock ? 0 : 1, Math.sqrt(sq[b] / n[b]), 1e-12, mode + " sd, voxel " + v + " block " + b);
      }
    }
    for (int t = 750; t < 1500; t++) {
      assertEquals(0.0, z[3 * TRIALS + t], "a zero-variance block z-scores to exactly 0");
    }
  }

  @Test
  void zScoreDoesNotNeedContiguousBlocks() {
    // The same trials in reverse order give the reversed result.
    NsdDesign d = design();
    double[] x = betas();
    double[] forward = x.clone();
    ResponsePreprocessing.zScore(forward, VOXELS, d.trials(), ZScore.RUN);
    double[] reversed = new double[x.length];
    for (int v = 0; v < VOXELS; v++) {
      for (int t = 0; t < TRIALS; t++) {
        reversed[v * TRIALS + t] = x[v * TRIALS + TRIALS - 1 - t];
      }
    }
    List<NsdTrial> rev = new java.util.ArrayList<>(d.trials());
    java.util.Collections.reverse(rev);
    ResponsePreprocessing.zScore(reversed, VOXELS, rev, ZScore.RUN);
    for (int v = 0; v < VOXELS; v++) {
      for (int t = 0; t < TRIALS; t++) {
        assertEquals(forward[v * TRIALS + t], reversed[v * TRIALS + TRIALS - 1 - t], 1e-12);
      }
    }
  }

  @Test
  void averagingEqualsHandComputation() {
    NsdDesign d = design();
    double[] x = betas();
    double[] avg = ResponsePreprocessing.averageRepetitions(x, VOXELS, d);
    int[] images = d.images();
    int n = images.length;
    assertEquals(TRIALS - 2, n); // A's 3 trials collapse to 1 image, B's 1 stays 1
    assertEquals(n * VOXELS, avg.length);
    assertEquals(B, images[0]); // ascending: 7, 42, 1000, ...
    assertEquals(A, images[1]);
    assertEquals(3, d.repetitions(A));
    assertEquals(1, d.repetitions(B));
    for (int v = 0; v < VOXELS; v++) {
      double a = (x[v * TRIALS + 5] + x[v * TRIALS + 800] + x[v * TRIALS + 2000]) / 3;
      assertEquals(a, avg[v * n + 1], TOL, "image A voxel " + v);
      assertEquals(x[v * TRIALS + 10], avg[v * n], TOL, "image B voxel " + v);
      // The other trials show nsdId 1000 + t once each.
      int row = d.imageIndex(1000 + 1234);
      assertEquals(x[v * TRIALS + 1234], avg[v * n + row], TOL, "single trial 1234 voxel " + v);
    }
  }

  @Test
  void zScoreThenAverageOnFixtureDesign() {
    // The pipeline on a real-shaped design: subject 1, session 1 of the fixture (220 images x 3, 90 x 1).
    NsdDesign d = NsdDesign.fromExpDesignMat(NsdDesignTest.fixture("nsd_expdesign.mat"), 1, 1);
    Random rnd = new Random(3);
    double[] x = new double[750 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian() * 3 + 10;
    }
    double[] z = x.clone();
    ResponsePreprocessing.zScore(z, 2, d.trials(), ZScore.SESSION);
    double[] avg = ResponsePreprocessing.averageRepetitions(z, 2, d);
    int n = d.images().length;
    assertEquals(310, n);
    for (int j = 0; j < n; j++) {
      int id = d.images()[j];
      double sum = 0;
      int count = 0;
      for (NsdTrial t : d.trials()) {
        if (t.nsdId() == id) {
          sum += z[750 + t.trial()];
          count++;
        }
      }
      assertEquals(d.repetitions(id), count);
      assertEquals(sum / count, avg[n + j], TOL);
    }
  }

  @Test
  void wrongShapesAreErrors() {
    NsdDesign d = design();
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ResponsePreprocessing.zScore(new double[TRIALS * VOXELS - 1], VOXELS, d.trials(), ZScore.SESSION));
    assertTrue(e.getMessage().startsWith("betas:"), e.getMessage());
    assertThrows(InvalidInputException.class,
        () -> ResponsePreprocessing.averageRepetitions(new double[TRIALS * VOXELS + 1], VOXELS, d));
  }
}
