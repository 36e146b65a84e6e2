package org.clipmsm.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.clipmsm.InvalidInputException;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;

class DissectionKernelsTest {

  static double[][] random(int rows, int cols, Random rnd, double scale, double shift) {
    double[][] m = new double[rows][cols];
    for (double[] r : m) {
      for (int j = 0; j < cols; j++) {
        r[j] = shift + scale * rnd.nextGaussian();
      }
    }
    return m;
  }

  static double[] rowMajor(double[][] m) {
    double[] out = new double[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
    }
    return out;
  }

  static void assertClose(double[][] expected, double[] actual, double tol, String what) {
    int cols = expected[0].length;
    assertEquals(expected.length * cols, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < cols; j++) {
        double e = expected[i][j];
        assertEquals(e, actual[i * cols + j], tol * (1 + Math.abs(e)), what + " [" + i + ", " + j + "]");
      }
    }
  }

  /** Scores of every voxel of q at once (one shard), with the label prior for the two WPMI functions. */
  static double[] dissect(double[][] p, double[][] q, Dissection spec) {
    LabelScorer scorer = LabelScorer.prepare(Matrix.fromRows(p), spec);
    double[] x = scorer.score(Matrix.fromRows(q), 0);
    if (!spec.function().usesLabelPrior()) {
      return x;
    }
    int v = q[0].length;
    return LabelPrior.subtract(x, v, p[0].length, LabelPrior.of(x, v, p[0].length), spec.lambda());
  }

  @Test
  void softWpmiHandWorked() {
    // a = 1: image 0 has P' = (3/4, 1/4), image 1 (1/4, 3/4), image 2 (1/2, 1/2).
    double l3 = Math.log(3);
    double[][] p = {{l3, 0}, {0, l3}, {0, 0}};
    // Voxel 0's top two images are 0 and 1; voxel 1's are 0 and 2.
    double[][] q = {{3, 5}, {2, 0}, {1, 4}};
    Dissection spec = Dissection.softWpmi().withTopK(2).withPStart(0.5).withPEnd(0.5).withMinProb(0);
    // Factors 1 + 0.5 (P' - 1): 7/8 for 3/4, 5/8 for 1/4, 3/4 for 1/2.
    // log p(d|E): v0 = (log 35/64, log 35/64), v1 = (log 21/32, log 15/32);
    // p(d) = mean over voxels: (77/128, 65/128); S = log(p(d|E) / p(d)).
    double[] s = dissect(p, q, spec);
    double[] expected = {Math.log(10.0 / 11), Math.log(14.0 / 13), Math.log(12.0 / 11), Math.log(12.0 / 13)};
    assertArrayEquals(expected, s, 1e-14);
    // lambda scales the prior: lambda 0 leaves log p(d|E).
    double[] x = dissect(p, q, spec.withLambda(0));
    assertArrayEquals(new double[] {Math.log(35.0 / 64), Math.log(35.0 / 64), Math.log(21.0 / 32),
        Math.log(15.0 / 32)}, x, 1e-14);
  }

  @Test
  void softWpmiWeightsAreThePapers() {
    Dissection d = Dissection.softWpmi();
    assertEquals(100, d.topK());
    assertEquals(1.0, d.a());
    assertEquals(0.998, d.weight(0), 0);
    assertEquals(0.998 - 0.99 * 0.028, d.weight(99), 1e-15);
    assertEquals(10, Dissection.softWpmi().withA(10).a()); // CLIP-Dissect's own default
    Dissection w = Dissection.wpmi();
    assertEquals(28, w.topK());
    assertEquals(2.0, w.a());
    assertEquals(0.6, w.lambda());
  }

  @Test
  void softWpmiAndWpmiMatchBruteForce() {
    Random rnd = new Random(3);
    int n = 300;
    double[][] p = random(n, 9, rnd, 0.05, 0.2);
    double[][] q = random(n, 17, rnd, 1, 0);
    for (Dissection spec : List.of(Dissection.softWpmi(), Dissection.softWpmi().withA(10),
        Dissection.softWpmi().withTopK(37).withLambda(0.7).withPStart(0.9).withPEnd(0.5), Dissection.wpmi(),
        Dissection.wpmi().withTopK(120).withA(30),
        // Long products: f_min = 1e-4 allows 76 factors per product, so 250 ranks take four products.
        Dissection.softWpmi().withTopK(250).withPStart(0.9999).withPEnd(0.9).withMinProb(0))) {
      boolean soft = spec.function() == SimilarityFunction.SOFT_WPMI;
      double[][] x = BruteForceDissection.logConditional(p, q, soft, spec.topK(), spec.a(), spec.pStart(),
          spec.pEnd(), spec.minProb());
      double[][] s = BruteForceDissection.withPrior(x, spec.lambda());
      assertClose(s, dissect(p, q, spec), 1e-11, spec.toString());
    }
  }

  @Test
  void productsAreSplitWhenTheyCouldUnderflow() {
    double[] defaults = new double[100];
    for (int i = 0; i < 100; i++) {
      defaults[i] = 1 - Dissection.softWpmi().weight(i) + 1e-7;
    }
    assertEquals(113, SoftWpmi.factorsPerProduct(defaults, 1e-7));
    assertEquals(43, SoftWpmi.factorsPerProduct(new double[] {1e-7}, 1e-7));
    assertEquals(1, SoftWpmi.factorsPerProduct(new double[] {0.0}, 0));
    // p_start = 1 and min_prob = 0: a zero factor makes log p(d|E) = -inf, as a sum of logs does.
    double[][] p = {{0, 0}, {0, 0}, {0, 0}};
    double[][] q = {{1}, {2}, {3}};
    Dissection spec = Dissection.softWpmi().withTopK(2).withPStart(1).withPEnd(1).withMinProb(0).withA(1e6);
    double[] x = LabelScorer.prepare(Matrix.fromRows(p), spec).score(Matrix.fromRows(q), 0);
    assertEquals(Math.log(0.5) * 2, x[0], 1e-15);
  }

  @Test
  void cosineAndCubedMatchBruteForce() {
    Random rnd = new Random(5);
    double[][] p = random(80, 6, rnd, 0.05, 0.25);
    double[][] q = random(80, 11, rnd, 1, 0.3);
    assertClose(BruteForceDissection.cosine(p, q, false), dissect(p, q, Dissection.cos()), 1e-12, "cos");
    assertClose(BruteForceDissection.cosine(p, q, true), dissect(p, q, Dissection.cos3()), 1e-12, "cos3");
  }

  @Test
  void rankReorderMatchesBruteForce() {
    Random rnd = new Random(8);
    int n = 400;
    double[][] p = random(n, 5, rnd, 0.05, 0.25);
    double[][] q = random(n, 7, rnd, 1, 0);
    // A few tied similarities, to exercise the tie rule of the ranks.
    for (int i = 0; i < n; i += 3) {
      p[i][2] = 0.25;
    }
    Dissection spec = Dissection.rankReorder();
    int top = spec.topImages(n);
    assertEquals(20, top);
    double[] baseline = new double[7];
    for (int v = 0; v < 7; v++) {
      Integer[] idx = BruteForceDissection.ranked(q, v);
      double[] s = new double[top];
      for (int i = 0; i < top; i++) {
        s[i] = q[idx[top - 1 - i]][v];
      }
      baseline[v] = RankReorder.baseline(s, 3, 0, v);
    }
    assertClose(BruteForceDissection.rankReorder(p, q, top, 3, 0.5, baseline), dissect(p, q, spec), 1e-12,
        "rank-reorder");
  }

  @Test
  void rankReorderBaselineIsTheMeanOverFiveSeededPermutations() {
    // Two values 0 and 1: each permutation is the identity (error 0) or the swap (|1|^p for both positions).
    double[] s = {0, 1};
    double b = RankReorder.baseline(s, 3, 0, 12);
    assertTrue(b == 0 || b == 0.2 || b == 0.4 || b == 0.6 || b == 0.8 || b == 1.0, "baseline " + b);
    assertEquals(b, RankReorder.baseline(s, 3, 0, 12), 0); // reproducible
    // For many values the estimate approaches the expectation (1/n^2) sum_ij |s_i - s_j|^p.
    int n = 2000;
    double[] many = new double[n];
    for (int i = 0; i < n; i++) {
      many[i] = i / (double) n;
    }
    // E|U - U'|^3 for independent uniforms = 1/10.
    assertEquals(0.1, RankReorder.baseline(many, 3, 0, 1), 0.01);
  }

  @Test
  void topImagesTiesGoToTheLowerImageIndex() {
    Matrix q = Matrix.fromRows(new double[][] {{1}, {3}, {3}, {2}, {3}, {-1}});
    assertArrayEquals(new int[] {1, 2, 4}, TopImages.select(q, 3));
    assertArrayEquals(new int[] {1, 2, 4, 3}, TopImages.select(q, 4));
    assertArrayEquals(new int[] {1, 2, 4, 3, 0, 5}, TopImages.select(q, 6));
    Matrix flat = Matrix.fromRows(new double[][] {{0, 7}, {0, 7}, {0, 7}, {0, 7}});
    assertArrayEquals(new int[] {0, 1, 0, 1}, TopImages.select(flat, 2));
    // Against a full sort on random data with many ties.
    Random rnd = new Random(1);
    double[][] m = new double[500][9];
    for (double[] r : m) {
      for (int j = 0; j < 9; j++) {
        r[j] = rnd.nextInt(20);
      }
    }
    int[] fast = TopImages.select(Matrix.fromRows(m), 50);
    for (int v = 0; v < 9; v++) {
      Integer[] ref = BruteForceDissection.ranked(m, v);
      for (int i = 0; i < 50; i++) {
        assertEquals(ref[i].intValue(), fast[v * 50 + i], "voxel " + v + " rank " + i);
      }
    }
  }

  @Test
  void labelPriorIsBitIdenticalForAnySharding() {
    Random rnd = new Random(4);
    int voxels = 211;
    int labels = 13;
    double[] x = new double[voxels * labels];
    for (int i = 0; i < x.length; i++) {
      x[i] = -600 * rnd.nextDouble() - (i % 7 == 0 ? 800 : 0); // a wide range: exp(x) underflows for some
    }
    double[] one = LabelPrior.of(x, voxels, labels);
    // The reference: logsumexp in plain floating point.
    for (int d = 0; d < labels; d++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < voxels; v++) {
        max = Math.max(max, x[v * labels + d]);
      }
      double sum = 0;
      for (int v = 0; v < voxels; v++) {
        sum += Math.exp(x[v * labels + d] - max);
      }
      assertEquals(max + Math.log(sum) - Math.log(voxels), one[d], 1e-12 * Math.abs(one[d]));
    }
    for (int shards : new int[] {3, 7, 50}) {
      List<double[]> blocks = new ArrayList<>();
      List<Integer> rows = new ArrayList<>();
      int per = (voxels + shards - 1) / shards;
      for (int first = 0; first < voxels; first += per) {
        int r = Math.min(per, voxels - first);
        blocks.add(java.util.Arrays.copyOfRange(x, first * labels, (first + r) * labels));
        rows.add(r);
      }
      List<Integer> order = new ArrayList<>();
      for (int b = 0; b < blocks.size(); b++) {
        order.add(b);
      }
      Collections.shuffle(order, new Random(shards));
      double[] max = LabelPrior.emptyMax(labels);
      for (int b : order) {
        LabelPrior.maxInto(blocks.get(b), rows.get(b), labels, max);
      }
      // Partial sums per shard, merged as a tree in shuffled order.
      List<LabelPrior.ExpSum> parts = new ArrayList<>();
      for (int b : order) {
        parts.add(new LabelPrior.ExpSum(labels).add(blocks.get(b), rows.get(b), max));
      }
      while (parts.size() > 1) {
        parts.add(parts.remove(parts.size() - 1).merge(parts.remove(0)));
      }
      double[] merged = parts.get(0).logPrior(max);
      for (int d = 0; d < labels; d++) {
        assertEquals(Double.doubleToRawLongBits(one[d]), Double.doubleToRawLongBits(merged[d]),
            shards + " shards, label " + d);
      }
    }
  }

  @Test
  void exactSumHandlesTheEdges() {
    LabelPrior.ExpSum s = new LabelPrior.ExpSum(1);
    s.addTerm(0, 1.0);
    s.addTerm(0, 1.0);
    s.addTerm(0, 0.5);
    s.addTerm(0, Math.scalb(1.0, -94)); // the last fixed-point bit
    s.addTerm(0, Math.scalb(1.0, -95)); // below it: dropped
    s.addTerm(0, Double.MIN_VALUE);
    // Exactly 2.5 x 2^94 + 1: hi = 2.5 x 2^30, lo = 1.
    assertEquals(2684354560L, s.hi()[0]);
    assertEquals(1L, s.lo()[0]);
    assertEquals(2.5, s.sum(0), 0); // as a double
    // Carries from the low word.
    LabelPrior.ExpSum c = new LabelPrior.ExpSum(new long[] {0}, new long[] {-1L}, 0);
    c.addTerm(0, Math.scalb(1.0, -94));
    assertEquals(1L, c.hi()[0]);
    assertEquals(0L, c.lo()[0]);
    // All -inf: log p(d) = -inf.
    double[] x = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    assertEquals(Double.NEGATIVE_INFINITY, LabelPrior.of(x, 2, 1)[0]);
  }

  @Test
  void softmaxWithTemperatureAndArgmax() {
    double[] s = {1, 3, 3, -2, Double.NaN, 0, 0, 5};
    double[] msm = SemanticMaps.softmax(s, 2, 4, 2.0);
    double z = Math.exp(0.5) + 2 * Math.exp(1.5) + Math.exp(-1);
    assertArrayEquals(new double[] {Math.exp(0.5) / z, Math.exp(1.5) / z, Math.exp(1.5) / z, Math.exp(-1) / z},
        java.util.Arrays.copyOf(msm, 4), 1e-15);
    assertArrayEquals(new int[] {1, 3}, SemanticMaps.argmax(s, 2, 4));
    assertArrayEquals(new int[] {1, 2, 0}, SemanticMaps.top(s, 0, 4, 3));
    assertArrayEquals(new int[] {3, 1, 2}, SemanticMaps.top(s, 4, 4, 3));
    assertArrayEquals(new int[] {-1}, SemanticMaps.argmax(new double[] {Double.NaN, Double.NaN}, 1, 2));
    assertThrows(InvalidInputException.class, () -> SemanticMaps.softmax(s, 2, 4, 0));
  }

  @Test
  void similaritiesAreCosinesOfNormalisedEmbeddings() {
    Random rnd = new Random(2);
    double[][] img = random(7, 5, rnd, 1, 0);
    double[][] txt = random(3, 5, rnd, 1, 0);
    Matrix p = ImageLabelSimilarity.compute(Matrix.fromRows(img), Matrix.fromRows(txt));
    for (int i = 0; i < 7; i++) {
      for (int d = 0; d < 3; d++) {
        double dot = 0;
        double ni = 0;
        double nt = 0;
        for (int k = 0; k < 5; k++) {
          dot += img[i][k] * txt[d][k];
          ni += img[i][k] * img[i][k];
          nt += txt[d][k] * txt[d][k];
        }
        assertEquals(dot / Math.sqrt(ni * nt), p.get(i, d), 1e-14);
      }
    }
  }

  @Test
  void labelFiles() {
    assertEquals(List.of("faces", "bodies", "fast food", "words"),
        LabelSet.parse("\uFEFFfaces\r\n  bodies \r\n\r\n\tfast food\nwords\n", "labels.txt"));
    InvalidInputException dup = assertThrows(InvalidInputException.class,
        () -> LabelSet.parse("faces\nbodies\nfaces \n", "labels.txt"));
    assertEquals("labels.txt: label 'faces' on line 3 repeats line 1 (expected each label once)", dup.getMessage());
    assertThrows(InvalidInputException.class, () -> LabelSet.parse("\n \n", "empty.txt"));
  }

  @Test
  void parametersAreChecked() {
    assertThrows(InvalidInputException.class, () -> Dissection.softWpmi().withTopK(0));
    assertThrows(InvalidInputException.class, () -> Dissection.softWpmi().withPStart(1.5));
    assertThrows(InvalidInputException.class, () -> Dissection.softWpmi().withA(Double.NaN));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Dissection.softWpmi().checkImages(50, "Q.npy"));
    assertEquals("topK: 100 top images, but Q.npy has only 50 images (expected at most as many top images as images)", e.getMessage());
  }
}
