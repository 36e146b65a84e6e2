package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticScenesTest {
  /** Fraction of pixels of a category's signature colour (an independent reading of the drawn image). */
  private static double fraction(byte[] rgb, java.util.function.IntPredicate isColour) {
    int n = rgb.length / 3;
    int hits = 0;
    for (int p = 0; p < n; p++) {
      int r = rgb[3 * p] & 0xff;
      int g = rgb[3 * p + 1] & 0xff;
      int b = rgb[3 * p + 2] & 0xff;
      hits += isColour.test((r << 16) | (g << 8) | b) ? 1 : 0;
    }
    return (double) hits / n;
  }

  private static boolean sky(int rgb) {
    return rgb == ((110 << 16) | (160 << 8) | 230);
  }

  private static boolean paper(int rgb) {
    return rgb == ((245 << 16) | (245 << 8) | 240);
  }

  @Test
  void sameSeedSameBytes() {
    double[] a = {0.3, 0.1, 0.2, 0.2, 0.1};
    assertArrayEquals(SceneDrawer.draw(a, 64, 5), SceneDrawer.draw(a, 64, 5));
    assertTrue(!java.util.Arrays.equals(SceneDrawer.draw(a, 64, 5), SceneDrawer.draw(a, 64, 6)));
  }

  @Test
  void drawnAreaFollowsThePlantedAmount() {
    double[] none = new double[5];
    double[] someWords = {0, 0, 0, 0.2, 0};
    double[] moreWords = {0, 0, 0, 0.6, 0};
    double[] somePlace = {0, 0, 0.3, 0, 0};
    double[] morePlace = {0, 0, 0.9, 0, 0};
    assertEquals(0, fraction(SceneDrawer.draw(none, 128, 1), SyntheticScenesTest::paper));
    assertTrue(fraction(SceneDrawer.draw(moreWords, 128, 1), SyntheticScenesTest::paper)
        > fraction(SceneDrawer.draw(someWords, 128, 1), SyntheticScenesTest::paper));
    double skyLess = fraction(SceneDrawer.draw(somePlace, 128, 1), SyntheticScenesTest::sky);
    double skyMore = fraction(SceneDrawer.draw(morePlace, 128, 1), SyntheticScenesTest::sky);
    // The sky band is 2/3 of the place band: about 0.2 and 0.6 of the canvas, less what buildings cover.
    assertTrue(skyLess > 0.1 && skyLess < 0.21, "sky " + skyLess);
    assertTrue(skyMore > 2 * skyLess, "sky " + skyMore);
  }

  @Test
  void contentsAreMixturesWithADominantCategory() {
    double[][] c = SceneContents.draw(500, 5, new Random(2));
    int mixtures = 0;
    for (double[] row : c) {
      double sum = 0;
      int present = 0;
      for (double x : row) {
        assertTrue(x >= 0);
        sum += x;
        present += x > 0 ? 1 : 0;
      }
      assertTrue(sum > 0.59 && sum <= 1 + 1e-12, "sum " + sum);
      mixtures += present > 1 ? 1 : 0;
    }
    assertTrue(mixtures > 100 && mixtures < 500, "mixtures " + mixtures);
  }

  @Test
  void tuningIsDominatedByTheRoiCategory() {
    int[] roi = {0, 1, 2, 3, 4, -1, 2};
    double[][] t = VoxelTuning.draw(roi, 5, new Random(4));
    for (int v = 0; v < roi.length; v++) {
      double sum = 0;
      int argmax = 0;
      for (int c = 0; c < 5; c++) {
        sum += t[v][c];
        argmax = t[v][c] > t[v][argmax] ? c : argmax;
      }
      assertEquals(1.0, sum, 1e-12);
      if (roi[v] >= 0) {
        assertEquals(roi[v], argmax);
        assertTrue(t[v][roi[v]] >= 0.45 && t[v][roi[v]] <= 0.8);
      }
    }
  }
}
