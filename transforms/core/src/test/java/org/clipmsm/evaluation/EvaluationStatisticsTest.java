package org.clipmsm.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.io.Csv;
import org.junit.jupiter.api.Test;

/**
 * The evaluation kernels against scipy and numpy (src/test/resources/evaluation, written by make_fixtures.py with
 * scipy 1.17: ttest_rel, pearsonr, histogram2d, nanmean / nanmedian) and against hand-worked cases.
 */
class EvaluationStatisticsTest {
  private static Csv.Table fixture(String name) throws Exception {
    return Csv.read(Path.of(EvaluationStatisticsTest.class.getResource("/evaluation/" + name).toURI()));
  }

  private static double[] values(String field) {
    return Arrays.stream(field.split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  private static void assertClose(double expected, double actual, double relative, String what) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
      return;
    }
    assertEquals(expected, actual, relative * Math.max(1e-300, Math.abs(expected)), what);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Paired t-test
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void pairedTTestEqualsScipyTtestRel() throws Exception {
    Csv.Table t = fixture("ttest_rel.csv");
    assertEquals(9, t.size());
    for (int i = 0; i < t.size(); i++) {
      String name = t.get(i, 0);
      PairedTTest r = PairedTTest.of(values(t.get(i, 1)), values(t.get(i, 2)));
      assertEquals(Long.parseLong(t.get(i, 3)), r.n(), name);
      assertClose(Double.parseDouble(t.get(i, 4)), r.meanA(), 1e-12, name + " mean_a");
      assertClose(Double.parseDouble(t.get(i, 5)), r.meanB(), 1e-12, name + " mean_b");
      assertClose(Double.parseDouble(t.get(i, 4)) - Double.parseDouble(t.get(i, 5)), r.meanDiff(), 1e-10,
          name + " mean_diff");
      assertClose(Double.parseDouble(t.get(i, 6)), r.t(), 1e-10, name + " t");
      assertClose(Double.parseDouble(t.get(i, 7)), r.df(), 0, name + " df");
      // Commons Math's t CDF (regularised incomplete beta) agrees with scipy's to about 1e-9 relative, also far in
      // the tail.
      assertClose(Double.parseDouble(t.get(i, 8)), r.p(), 1e-8, name + " p");
    }
  }

  @Test
  void pairedTTestHandWorked() {
    // d = 1, 2, 3, 4: mean 2.5, sd^2 = 5/3, t = 2.5 / sqrt(5/12) = sqrt(15), df 3. The t CDF with 3 df is
    // 1/2 + (1/pi) (u / (1 + u^2) + atan u), u = t / sqrt 3 = sqrt 5, so p = 1 - (2/pi) (sqrt 5 / 6 + atan sqrt 5).
    PairedTTest r = PairedTTest.of(new double[] {2, 4, 6, 8}, new double[] {1, 2, 3, 4});
    assertEquals(4, r.n());
    assertEquals(5, r.meanA(), 0);
    assertEquals(2.5, r.meanB(), 0);
    assertEquals(2.5, r.meanDiff(), 0);
    assertEquals(Math.sqrt(15), r.t(), 1e-14);
    assertEquals(3, r.df(), 0);
    assertEquals(1 - 2 / Math.PI * (Math.sqrt(5) / 6 + Math.atan(Math.sqrt(5))), r.p(), 1e-12);
    // Two pairs, df 1 (Cauchy): d = 2, 4, mean 3, sd sqrt 2, t = 3 / (sqrt 2 / sqrt 2) = 3, p = 1 - (2/pi) atan 3.
    // The sign follows a - b.
    r = PairedTTest.of(new double[] {1, 1}, new double[] {3, 5});
    assertEquals(-3, r.t(), 1e-14);
    assertEquals(1, r.df(), 0);
    assertEquals(1 - 2 / Math.PI * Math.atan(3), r.p(), 1e-12);
    // A pair with a NaN on either side is left out: the same test as above.
    PairedTTest omitted = PairedTTest.of(new double[] {1, Double.NaN, 1, 7}, new double[] {3, 0, 5, Double.NaN});
    assertEquals(r, omitted);
  }

  @Test
  void pairedTTestIsNaNWhereUndefined() {
    // No pair.
    PairedTTest none = PairedTTest.of(new double[0], new double[0]);
    assertEquals(0, none.n());
    assertTrue(Double.isNaN(none.meanA()) && Double.isNaN(none.t()) && Double.isNaN(none.df())
        && Double.isNaN(none.p()));
    // One pair: means, but no t, df or p.
    PairedTTest one = PairedTTest.of(new double[] {3, Double.NaN}, new double[] {1, 2});
    assertEquals(1, one.n());
    assertEquals(2, one.meanDiff(), 0);
    assertTrue(Double.isNaN(one.t()) && Double.isNaN(one.df()) && Double.isNaN(one.p()));
    // Every difference the same (zero variance): t and p NaN (scipy: +inf and 0 here), df still n - 1.
    PairedTTest same = PairedTTest.of(new double[] {2, 3, 4}, new double[] {1, 2, 3});
    assertEquals(3, same.n());
    assertEquals(1, same.meanDiff(), 0);
    assertEquals(2, same.df(), 0);
    assertTrue(Double.isNaN(same.t()) && Double.isNaN(same.p()));
    PairedTTest equal = PairedTTest.of(new double[] {1, 2, 3}, new double[] {1, 2, 3});
    assertTrue(Double.isNaN(equal.t()) && Double.isNaN(equal.p()));
    assertThrows(IllegalArgumentException.class, () -> PairedTTest.of(new double[2], new double[3]));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pearson's r
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void pearsonEqualsScipyPearsonr() throws Exception {
    Csv.Table t = fixture("pearsonr.csv");
    assertEquals(5, t.size());
    for (int i = 0; i < t.size(); i++) {
      String name = t.get(i, 0);
      Pearson r = Pearson.of(values(t.get(i, 1)), values(t.get(i, 2)));
      assertEquals(Long.parseLong(t.get(i, 3)), r.n(), name);
      assertEquals(Double.parseDouble(t.get(i, 4)), r.r(), 1e-12, name);
    }
  }

  @Test
  void pearsonHandWorked() {
    // x = 1, 2, 3; y = 2, 4, 7: deviations (-1, 0, 1) and (-7/3, -1/3, 8/3); sum of products 5, sums of squares 2
    // and 114/9: r = 5 / sqrt(2 * 114 / 9) = 15 / sqrt(228).
    assertEquals(15 / Math.sqrt(228), Pearson.of(new double[] {1, 2, 3}, new double[] {2, 4, 7}).r(), 1e-14);
    assertEquals(-1, Pearson.of(new double[] {1, 2, 3}, new double[] {3, 2, 1}).r(), 1e-15);
    // A NaN pair is left out.
    Pearson omitted = Pearson.of(new double[] {1, 2, Double.NaN, 3}, new double[] {2, 4, 0, 7});
    assertEquals(3, omitted.n());
    assertEquals(15 / Math.sqrt(228), omitted.r(), 1e-14);
  }

  @Test
  void pearsonIsNaNForConstantInputOrTooFewPairs() {
    assertTrue(Double.isNaN(Pearson.of(new double[] {1, 1, 1}, new double[] {1, 2, 3}).r()));
    assertTrue(Double.isNaN(Pearson.of(new double[] {1, 2, 3}, new double[] {0, 0, 0}).r()));
    // A one-hot column that is all zero: a label that is no voxel's argmax.
    assertTrue(Double.isNaN(Pearson.of(new double[] {0, 0, 0, 0}, new double[] {0.1, 0.5, 0.2, 0.9}).r()));
    Pearson one = Pearson.of(new double[] {1, Double.NaN}, new double[] {2, 3});
    assertEquals(1, one.n());
    assertTrue(Double.isNaN(one.r()));
    assertTrue(Double.isNaN(Pearson.of(new double[0], new double[0]).r()));
    // Constant once the NaN pair is left out.
    assertTrue(Double.isNaN(Pearson.of(new double[] {1, 1, 5}, new double[] {1, 2, Double.NaN}).r()));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Cosine, [0, 1] scaling
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void cosineHandWorked() {
    // (1, 2, 2) . (2, 0, 1) = 4; |a| = 3, |b| = sqrt 5.
    assertEquals(4 / (3 * Math.sqrt(5)), Vectors.cosine(new double[] {1, 2, 2}, new double[] {2, 0, 1}), 1e-15);
    assertEquals(1, Vectors.cosine(new double[] {1, 2}, new double[] {3, 6}), 1e-15);
    assertEquals(-1, Vectors.cosine(new double[] {1, 2}, new double[] {-0.5, -1}), 1e-15);
    assertEquals(0, Vectors.cosine(new double[] {1, 0}, new double[] {0, 4}), 0);
    assertTrue(Double.isNaN(Vectors.cosine(new double[] {0, 0}, new double[] {1, 2})));
    assertTrue(Double.isNaN(Vectors.cosine(new double[] {1, Double.NaN}, new double[] {1, 2})));
    assertThrows(IllegalArgumentException.class, () -> Vectors.cosine(new double[2], new double[3]));
  }

  @Test
  void rescaleToUnitIsMinMax() {
    assertArrayEquals(new double[] {0.25, 0, 1, Double.NaN, 0.5},
        Vectors.rescaleToUnit(new double[] {-1, -2, 2, Double.NaN, 0}), 1e-15);
    assertArrayEquals(new double[] {0, 0, Double.NaN}, Vectors.rescaleToUnit(new double[] {3, 3, Double.NaN}), 0);
    assertArrayEquals(new double[] {0, Double.NaN, 1},
        Vectors.rescaleToUnit(new double[] {1, Double.POSITIVE_INFINITY, 5}), 0);
    assertArrayEquals(new double[] {0, 0.5, 1},
        Vectors.rescaleToUnit(new double[] {-Double.MAX_VALUE, 0, Double.MAX_VALUE}), 1e-15);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The 2-D histogram
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void histogramEqualsNumpyHistogram2dOfClampedValues() throws Exception {
    Csv.Table in = fixture("histogram_input.csv");
    double[] nc = new double[in.size()];
    double[] r2 = new double[in.size()];
    for (int i = 0; i < in.size(); i++) {
      nc[i] = Double.parseDouble(in.get(i, 0));
      r2[i] = Double.parseDouble(in.get(i, 1));
    }
    Histogram2d h = Histogram2d.of(nc, r2, 50, 0, 100);
    long[] expected = new long[2500];
    Csv.Table c = fixture("histogram_counts.csv");
    for (int k = 0; k < c.size(); k++) {
      int i = (int) c.getLong(k, 0);
      int j = (int) c.getLong(k, 1);
      expected[i * 50 + j] = c.getLong(k, 6);
      assertEquals(Double.parseDouble(c.get(k, 2)), h.edge(i), 0);
      assertEquals(Double.parseDouble(c.get(k, 3)), h.edge(i + 1), 0);
      assertEquals(Double.parseDouble(c.get(k, 4)), h.edge(j), 0);
      assertEquals(Double.parseDouble(c.get(k, 5)), h.edge(j + 1), 0);
    }
    assertArrayEquals(expected, h.counts());
    assertEquals(398, h.total()); // 400 pairs, 2 with a NaN
  }

  @Test
  void histogramBinsHandWorked() {
    Histogram2d h = Histogram2d.of(new double[0], new double[0], 50, 0, 100);
    assertEquals(0, h.bin(0));
    assertEquals(0, h.bin(1.9999999999999998));
    assertEquals(1, h.bin(2));
    assertEquals(42, h.bin(85)); // the 85 % noise-ceiling line starts bin 42 ([84, 86))
    assertEquals(49, h.bin(98));
    assertEquals(49, h.bin(100)); // the last bin holds the top edge
    assertEquals(0, h.bin(-30)); // clamped
    assertEquals(49, h.bin(130));
    assertEquals(0, h.bin(Double.NEGATIVE_INFINITY));
    assertEquals(2, h.edge(1), 0);
    assertEquals(100, h.edge(50), 0);
    Histogram2d g = Histogram2d.of(new double[] {50, 50, 1, -5, Double.NaN}, new double[] {-0.2, 3, 99, 2, 1}, 50, 0,
        100);
    assertEquals(1, g.count(25, 0));
    assertEquals(1, g.count(25, 1));
    assertEquals(1, g.count(0, 49));
    assertEquals(1, g.count(0, 1));
    assertEquals(4, g.total());
    // Uneven widths: edges are lo + k (hi - lo) / bins, and a value on an edge opens the bin above it.
    Histogram2d thirds = Histogram2d.of(new double[0], new double[0], 3, 0, 1);
    assertEquals(1, thirds.bin(thirds.edge(1)));
    assertEquals(0, thirds.bin(Math.nextDown(thirds.edge(1))));
    assertEquals(2, thirds.bin(thirds.edge(2)));
    assertThrows(IllegalArgumentException.class, () -> Histogram2d.of(new double[1], new double[1], 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Histogram2d.of(new double[1], new double[1], 5, 1, 1));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Means and medians, ground truth
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void meanMedianEqualsNumpyNanmeanNanmedian() throws Exception {
    Csv.Table t = fixture("mean_median.csv");
    for (int i = 0; i < t.size(); i++) {
      MeanMedian m = MeanMedian.of(values(t.get(i, 1)));
      assertEquals(Double.parseDouble(t.get(i, 2)), m.mean(), 1e-14, t.get(i, 0));
      assertEquals(Double.parseDouble(t.get(i, 3)), m.median(), 0, t.get(i, 0));
    }
  }

  @Test
  void meanMedianHandWorked() {
    assertEquals(new MeanMedian(4, 2.5, 2.5), MeanMedian.of(new double[] {4, 1, 3, 2}));
    assertEquals(new MeanMedian(3, 3, 2), MeanMedian.of(new double[] {7, Double.NaN, 0, 2}));
    assertEquals(new MeanMedian(2, 4.5, 4.5), MeanMedian.of(new double[] {7, Double.NaN, 0, 2}, new int[] {0, 3}));
    MeanMedian none = MeanMedian.of(new double[] {Double.NaN});
    assertEquals(0, none.n());
    assertTrue(Double.isNaN(none.mean()) && Double.isNaN(none.median()));
  }

  @Test
  void groundTruthOfEachLabel() {
    assertEquals(List.of("faces", "face"), GroundTruth.flocMaps("faces"));
    assertEquals(List.of("bodies", "body"), GroundTruth.flocMaps(" Bodies "));
    assertEquals(List.of("places", "place"), GroundTruth.flocMaps("places"));
    assertEquals(List.of("characters", "character", "word"), GroundTruth.flocMaps("words"));
    assertTrue(GroundTruth.flocMaps("food").isEmpty());
    assertTrue(GroundTruth.isFood("Food"));
    assertTrue(GroundTruth.hasOne("food") && GroundTruth.hasOne("faces"));
    assertTrue(!GroundTruth.hasOne("tree") && GroundTruth.flocMaps("tree").isEmpty());
  }
}
