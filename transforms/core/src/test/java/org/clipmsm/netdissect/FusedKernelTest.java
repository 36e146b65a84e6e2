package org.clipmsm.netdissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused kernel of {@link ConceptTally} against {@link BruteForceNetDissect}: whole maps resized by Pillow's
 * algorithm one voxel at a time, every pixel tested, counted per plane. Every count must be equal.
 */
class FusedKernelTest {
  /** map h, w, then segmentation sizes the images draw from. */
  private static final int[][][] GEOMETRIES = {
      {{7, 7}, {112, 112}},
      {{7, 5}, {13, 29}, {7, 5}},
      {{14, 14}, {7, 7}, {5, 9}},
      {{3, 3}, {3, 3}},
      {{1, 1}, {5, 3}},
      {{4, 6}, {23, 11}, {2, 40}},
      {{5, 8}, {5, 20}},
      {{6, 4}, {17, 4}},
      {{2, 2}, {1, 1}},
  };

  static void assertSameCounts(BruteForceNetDissect b, ConceptTally t, String what) {
    for (int c = 0; c < b.concepts; c++) {
      if (t.table().category(c) >= 0) {
        assertEquals(b.conceptArea[c], t.conceptArea(c), what + ": area of concept " + c);
      }
    }
    for (int v = 0; v < b.voxels; v++) {
      assertEquals(b.maskPixels[v], t.maskPixels(v), what + ": mask pixels of voxel " + v);
      for (int c = 0; c < b.concepts; c++) {
        assertEquals(b.intersection[v][c], t.intersection(v, c), what + ": voxel " + v + ", concept " + c);
      }
      for (int k = 0; k < b.categories; k++) {
        assertEquals(b.unitArea[v][k], t.unitArea(v, k), what + ": voxel " + v + ", category " + k);
      }
    }
  }

  @Test
  void fusedPassCountsWhatTheBruteForceCounts() {
    ConceptTable table = Synthetic.table();
    Random rnd = new Random(11);
    double[] quantiles = {0.005, 0.05, 0.3, 0.9};
    for (int g = 0; g < GEOMETRIES.length; g++) {
      int h = GEOMETRIES[g][0][0];
      int w = GEOMETRIES[g][0][1];
      int[][] segs = java.util.Arrays.copyOfRange(GEOMETRIES[g], 1, GEOMETRIES[g].length);
      int images = h * w > 40 ? 6 : 12;
      int voxels = 9;
      for (int kind = 0; kind < 4; kind++) {
        List<ProbeAnnotation> ann = Synthetic.annotations(images, segs, rnd, table.concepts());
        float[] maps = Synthetic.maps(images, h * w, voxels, kind, rnd);
        double q = quantiles[rnd.nextInt(quantiles.length)];
        double[] t = BruteForceNetDissect.thresholds(maps, voxels, q);
        UpperQuantiles uq = UpperQuantiles.create(voxels, (long) images * h * w, q);
        uq.add(maps);
        assertArrayEquals(t, uq.thresholds(), 0.0, "thresholds");
        for (NetDissection.UnitArea rule : NetDissection.UnitArea.values()) {
          ConceptTally tally = ConceptTally.create(table, t, rule);
          tally.add(maps, h, w, ann);
          String what = h + "x" + w + " kind " + kind + " q " + q + " " + rule;
          assertSameCounts(BruteForceNetDissect.count(maps, h, w, t, ann, table, rule), tally, what);
          assertEquals(images, tally.images());
        }
      }
    }
  }

  /**
   * Integer maps with thresholds equal to map values: upsampled values land exactly on T (a constant 2 x 2 support
   * of 2.0 gives 2.0) and must stay off, as Pillow's float compared with T leaves them.
   */
  @Test
  void valuesExactlyAtTheThresholdStayOff() {
    ConceptTable table = Synthetic.table();
    Random rnd = new Random(12);
    int h = 7;
    int w = 7;
    int images = 8;
    int voxels = 6;
    float[] maps = Synthetic.maps(images, h * w, voxels, 1, rnd);
    List<ProbeAnnotation> ann = Synthetic.annotations(images, new int[][] {{112, 112}, {30, 30}}, rnd,
        table.concepts());
    double[] t = {0, 1, 2, 3, 1.5, 2};
    ConceptTally tally = ConceptTally.create(table, t, NetDissection.UnitArea.ANNOTATED_IMAGES);
    tally.add(maps, h, w, ann);
    assertSameCounts(BruteForceNetDissect.count(maps, h, w, t, ann, table, NetDissection.UnitArea.ANNOTATED_IMAGES),
        tally, "integer maps");
    assertTrue(tally.maskPixels(0) > 0 && tally.maskPixels(3) == 0, "3 is the largest value: nothing above it");
  }

  /** {@code s > sumThreshold(t)} is {@code (float) s > t} for every double s, at the rounding boundaries too. */
  @Test
  void doubleThresholdDecidesAsTheFloatComparison() {
    Random rnd = new Random(13);
    double[] special = {0.0, -0.0, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
        -Float.MAX_VALUE, 1.0, -1.0, 0.5, 3.0000001, 1e-40, -1e-40, 1e38};
    for (int trial = 0; trial < 200_000; trial++) {
      double t;
      if (trial < special.length * 50) {
        t = special[trial % special.length];
        if (trial / special.length % 2 == 1) {
          t = Math.nextUp(t);
        }
      } else {
        t = switch (trial % 4) {
          case 0 -> rnd.nextGaussian();
          case 1 -> (float) rnd.nextGaussian();
          case 2 -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(90) - 45);
          default -> Math.scalb(rnd.nextGaussian(), -149 + rnd.nextInt(10));
        };
      }
      float f = MaskKernel.floatBelow(t);
      double tp = MaskKernel.sumThreshold(t);
      float u = Math.nextUp(f);
      double mid = ((double) f + (double) u) / 2;
      double[] probes = {t, Math.nextUp(t), Math.nextDown(t), f, u, mid, Math.nextUp(mid), Math.nextDown(mid),
          tp, Math.nextUp(tp), Math.nextDown(tp), t + Math.ulp(f) * rnd.nextDouble()};
      for (double s : probes) {
        if (Double.isFinite(s) && ((float) s > t) != (s > tp)) {
          fail("t = " + t + ", s = " + s + ": (float) s > t is " + ((float) s > t));
        }
      }
      assertTrue(!(f > t) && (Math.nextUp(f) > t || f == Float.MAX_VALUE));
    }
  }
}
