package org.clipmsm.netdissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;

/**
 * Results do not depend on how voxels are chunked, how images are batched, nor their order: the maps to the bit (the
 * fixed dgemm shape of {@link ActivationMaps}), hence the thresholds (exact quantiles) and the counts (integers).
 */
class ChunkInvarianceTest {
  static final MapGeometry GEOMETRY = new MapGeometry(7, 7, 40);

  static float[] dense(int images, MapGeometry g, Random rnd) {
    float[] d = new float[(int) g.values(images)];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (rnd.nextGaussian() + (i % 97 == 0 ? 4 : 0));
    }
    return d;
  }

  static Matrix weights(int features, int voxels, Random rnd) {
    double[] w = new double[features * voxels];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextGaussian() / Math.sqrt(features);
    }
    return new Matrix(features, voxels, w);
  }

  /** Images in the given order: their dense rows and annotations. */
  static float[] reorder(float[] dense, int[] order, MapGeometry g) {
    int per = (int) g.values(1);
    float[] out = new float[order.length * per];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(dense, order[i] * per, out, i * per, per);
    }
    return out;
  }

  static int[] permutation(int n, Random rnd) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    java.util.Collections.shuffle(l, rnd);
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The dgemm products before their rounding to float (which would hide most differences of a last double bit):
   * with calls shaped by the chunk and batch, OpenBLAS gives some elements other last bits (e.g. 1 voxel x 1,470 rows
   * against the 140 voxels at once, with more features than its K block of 256); with the fixed shape, none. (chunk of voxels, batch of images) pairs from one
   * voxel to all, one image to all, images shuffled; then the float maps of one chunking.
   */
  @Test
  void mapsAreBitIdenticalWhateverTheChunkingAndImageOrder() {
    Random rnd = new Random(21);
    MapGeometry g = new MapGeometry(7, 7, 300);
    int images = 30;
    int voxels = 140;
    float[] dense = dense(images, g, rnd);
    Matrix w = weights(g.features(), voxels, rnd);
    int p = g.positions();
    double[] reference = products(dense, 0, images, g, w);
    int[] order = permutation(images, rnd);
    float[] shuffled = reorder(dense, order, g);
    int[][] chunkBatch = {{1, 30}, {7, 4}, {128, 1}, {129, 11}, {140, 30}};
    for (int[] cb : chunkBatch) {
      int chunk = cb[0];
      int batch = cb[1];
      for (int v0 = 0; v0 < voxels; v0 += chunk) {
        int m = Math.min(chunk, voxels - v0);
        Matrix wc = w.selectColumns(v0, m);
        for (int i0 = 0; i0 < images; i0 += batch) {
          int n = Math.min(batch, images - i0);
          double[] maps = products(shuffled, i0, n, g, wc);
          for (int i = 0; i < n; i++) {
            int image = order[i0 + i];
            for (int q = 0; q < p; q++) {
              for (int j = 0; j < m; j++) {
                double got = maps[(i * p + q) * m + j];
                double want = reference[(image * p + q) * voxels + v0 + j];
                if (Double.doubleToLongBits(got) != Double.doubleToLongBits(want)) {
                  throw new AssertionError("chunk " + chunk + ", batch " + batch + ": image " + image
                      + ", position " + q + ", voxel " + (v0 + j) + ": " + got + " != " + want);
                }
              }
            }
          }
        }
      }
    }
    float[] maps = ActivationMaps.compute(dense, 3, 5, g, w.selectColumns(11, 7));
    for (int i = 0; i < 5 * p; i++) {
      for (int j = 0; j < 7; j++) {
        assertEquals((float) reference[(3 * p + i) * voxels + 11 + j], maps[i * 7 + j], 0.0f);
      }
    }
  }

  static double[] products(float[] dense, int first, int images, MapGeometry g, Matrix w) {
    int m = w.cols();
    double[] out = new double[images * g.positions() * m];
    new ActivationMaps(g).products(dense, first, images, w, (c, maxAbs, r0, nr, v0, nv) -> {
      for (int i = 0; i < nr; i++) {
        for (int j = 0; j < nv; j++) {
          out[(int) (r0 + i) * m + v0 + j] = c[i * ActivationMaps.VOXELS_PER_TILE + j];
        }
      }
    });
    return out;
  }

  /** The maps are F W to float precision (double products, rounded once). */
  @Test
  void mapsAreTheFeaturesTimesTheWeights() {
    Random rnd = new Random(22);
    int images = 3;
    int voxels = 5;
    float[] dense = dense(images, GEOMETRY, rnd);
    Matrix w = weights(GEOMETRY.features(), voxels, rnd);
    float[] maps = ActivationMaps.compute(dense, images, GEOMETRY, w);
    int d = GEOMETRY.features();
    for (int r = 0; r < images * GEOMETRY.positions(); r++) {
      for (int v = 0; v < voxels; v++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += dense[r * d + k] * w.get(k, v);
        }
        assertEquals((float) s, maps[r * voxels + v], 1e-6 * (1 + Math.abs(s)), "row " + r + ", voxel " + v);
      }
    }
  }

  /**
   * The whole dissection, chunked 1, 5, 37 and all voxels at once, images in two orders: equal thresholds, counts and
   * labels, and equal to the brute force on the maps.
   */
  @Test
  void dissectionIsBitIdenticalWhateverTheChunkingAndImageOrder() {
    Random rnd = new Random(23);
    int images = 40;
    int voxels = 37;
    ConceptTable table = Synthetic.table();
    float[] dense = dense(images, GEOMETRY, rnd);
    Matrix w = weights(GEOMETRY.features(), voxels, rnd);
    List<ProbeAnnotation> ann = Synthetic.annotations(images, new int[][] {{112, 112}, {56, 80}}, rnd,
        table.concepts());
    NetDissection spec = NetDissection.defaults().withQuantile(0.02);
    int[] order = permutation(images, rnd);
    float[] shuffledDense = reorder(dense, order, GEOMETRY);
    List<ProbeAnnotation> shuffledAnn = new ArrayList<>();
    for (int i : order) {
      shuffledAnn.add(ann.get(i));
    }

    float[] maps = ActivationMaps.compute(dense, images, GEOMETRY, w);
    double[] t = BruteForceNetDissect.thresholds(maps, voxels, spec.quantile());
    BruteForceNetDissect brute = BruteForceNetDissect.count(maps, 7, 7, t, ann, table, spec.unitArea());

    NetDissect.Result reference = null;
    for (int chunk : new int[] {1, 5, 37}) {
      for (boolean shuffle : new boolean[] {false, true}) {
        NetDissect.Result r = NetDissect.dissect(shuffle ? shuffledDense : dense, GEOMETRY, w,
            shuffle ? shuffledAnn : ann, table, spec, chunk);
        String what = "chunk " + chunk + (shuffle ? ", shuffled" : "");
        assertArrayEquals(t, r.thresholds(), 0.0, what);
        for (int v = 0; v < voxels; v++) {
          ConceptTally tally = r.tallyOf(v);
          int j = v % chunk;
          assertEquals(brute.maskPixels[v], tally.maskPixels(j), what + ": voxel " + v);
          for (int c = 0; c < table.concepts(); c++) {
            assertEquals(brute.intersection[v][c], tally.intersection(j, c), what + ": voxel " + v + ", " + c);
          }
          for (int k = 0; k < table.categoryCount(); k++) {
            assertEquals(brute.unitArea[v][k], tally.unitArea(j, k), what + ": voxel " + v + ", category " + k);
          }
        }
        if (reference == null) {
          reference = r;
        } else {
          assertEquals(reference.labels(), r.labels(), what);
        }
      }
    }
    assertTrue(reference.labels().stream().anyMatch(VoxelLabel::interpretable), "some voxel has a label");
  }

  /** Tallies over disjoint image sets merge to the tally of all images, however the images are split. */
  @Test
  void talliesMergeExactly() {
    Random rnd = new Random(24);
    ConceptTable table = Synthetic.table();
    int images = 30;
    int voxels = 11;
    float[] maps = Synthetic.maps(images, 49, voxels, 2, rnd);
    List<ProbeAnnotation> ann = Synthetic.annotations(images, new int[][] {{112, 112}}, rnd, table.concepts());
    double[] t = BruteForceNetDissect.thresholds(maps, voxels, 0.01);
    ConceptTally all = ConceptTally.create(table, t, NetDissection.UnitArea.MATCHED_IMAGES);
    all.add(maps, 7, 7, ann);
    for (int parts : new int[] {2, 3, 7}) {
      ConceptTally[] tallies = new ConceptTally[parts];
      for (int k = 0; k < parts; k++) {
        tallies[k] = ConceptTally.create(table, t, NetDissection.UnitArea.MATCHED_IMAGES);
      }
      for (int i = images - 1; i >= 0; i--) {
        tallies[rnd.nextInt(parts)].addImage(maps, i * 49 * voxels, 7, 7, ann.get(i));
      }
      for (int k = parts - 1; k > 0; k--) {
        tallies[0].merge(tallies[k]);
      }
      assertTrue(all.sameCounts(tallies[0]), parts + " parts");
    }
  }
}
