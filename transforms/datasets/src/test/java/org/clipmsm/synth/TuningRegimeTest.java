package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two tuning regimes (docs/datasets.md §5): DOMINANT writes, byte for byte, what the generator wrote before the
 * regimes existed; CORTEX (the default) has graded, mixed tuning and ROIs cut from the planted fLoc maps, so that some
 * voxels are in two ROIs, some have two nearly equal top categories and some are weakly selective.
 */
class TuningRegimeTest {
  static final String FUNC = "nsddata/ppdata/subj01/func1pt8mm/";
  static final String[] NSD_ROIS = {"floc-faces", "floc-bodies", "floc-places", "floc-words", "food"};
  /** The category-level t-map of each NSD ROI (food has none in NSD: truth/floc_t.npy holds its t). */
  static final String[] NSD_TMAPS = {"faces", "bodies", "places", "characters"};

  @TempDir
  Path tmp;

  /**
   * SHA-256 fingerprints ({@link SynthFingerprint}: paths and contents, .gz files by their decompressed bytes) of
   * subjects written by the generator at commit 0bed906, before the regimes existed, with the same specs (the raw
   * bytes, .gz included, were also compared then with diff -r: identical).
   */
  @Test
  void dominantRegimeWritesTheBytesOfTheGeneratorBeforeTheRegimes() {
    assertEquals("b0a76652004a430e39d8a949511fd4cf6f2f52f558a3bd6a9215e328a9dc43d1",
        fingerprint(tmp.resolve("nsd-small"), NsdSynth.Spec.small(1).withRegime(TuningRegime.DOMINANT)));
    assertEquals("d9f27bb28607d55cd74b6f7a3d2ac7ad3948189e3dee940778ca722b952a94a0",
        fingerprint(tmp.resolve("nsd-nifti"), new NsdSynth.Spec(7, 2, 250, 1, 40, new int[] {9, 9, 9}, 8)
            .withNiftiBetas().withRegime(TuningRegime.DOMINANT)));
    assertEquals("e3e51617ebabbad864693138652d720ecbc5af5ab8a9d92ea2d38f3c8bdb40cc",
        fingerprint(tmp.resolve("nod-small"), NodSynth.Spec.small(1).withRegime(TuningRegime.DOMINANT)));
    assertEquals("937317753780ef4d3d7739339c1ba5657e50e8bf2527dec47a05482702b998b7",
        fingerprint(tmp.resolve("nod-tiny"), new NodSynth.Spec(7, 3, 1, 1, 10, 4, 1, 16, 64, 8)
            .withRegime(TuningRegime.DOMINANT)));
  }

  private static String fingerprint(Path dir, NsdSynth.Spec spec) {
    NsdSynth.write(dir, spec);
    return SynthFingerprint.of(dir);
  }

  private static String fingerprint(Path dir, NodSynth.Spec spec) {
    NodSynth.write(dir, spec);
    return SynthFingerprint.of(dir);
  }

  @Test
  void specsWithoutARegimeGetCortexAndWithersKeepTheRest() {
    NsdSynth.Spec nsd = new NsdSynth.Spec(1, 1, 250, 1, 100, new int[] {12, 14, 10}, 32);
    assertEquals(TuningRegime.CORTEX, TuningRegime.DEFAULT);
    assertEquals(TuningRegime.CORTEX, nsd.regime());
    assertEquals(TuningRegime.CORTEX, NsdSynth.Spec.small(1).regime());
    assertEquals(TuningRegime.CORTEX, new NsdSynth.Spec(1, 1, 250, 1, 100, new int[] {12, 14, 10}, 32, true)
        .regime());
    NsdSynth.Spec dominant = nsd.withRegime(TuningRegime.DOMINANT);
    assertEquals(TuningRegime.DOMINANT, dominant.regime());
    assertEquals(TuningRegime.DOMINANT, dominant.withNiftiBetas().regime());
    assertTrue(dominant.withNiftiBetas().niftiBetas());
    assertEquals(nsd.roiVoxels(), dominant.roiVoxels());
    NodSynth.Spec nod = new NodSynth.Spec(1, 1, 1, 2, 25, 20, 2, 80, 600, 32);
    assertEquals(TuningRegime.CORTEX, nod.regime());
    assertEquals(TuningRegime.CORTEX, NodSynth.Spec.small(1).regime());
    assertEquals(TuningRegime.DOMINANT, nod.withRegime(TuningRegime.DOMINANT).regime());
    assertEquals(nod.grayordinates(), nod.withRegime(TuningRegime.DOMINANT).grayordinates());
    assertThrows(NullPointerException.class, () -> nsd.withRegime(null));
    assertThrows(NullPointerException.class, () -> nod.withRegime(null));
  }

  /**
   * The documented kinds, exactly: per patch of 100 voxels, 30 two-category voxels (top two = the home category and
   * one of its partners, within CLOSE_MARGIN), 20 weakly selective ones and 50 selective ones; rows on the simplex.
   */
  @Test
  void cortexTuningHasTheDocumentedKinds() {
    int per = 100;
    int[] home = new int[5 * per];
    for (int v = 0; v < home.length; v++) {
      home[v] = v % 5;
    }
    Random rnd = new Random(12);
    double[][] w = VoxelTuning.draw(TuningRegime.CORTEX, home, 5, rnd);
    VoxelTuning.Kind[] kinds = VoxelTuning.kinds(home, 5, new Random(12)); // the kinds are drawn first
    assertOnTheSimplex(w);
    int[][] count = new int[5][VoxelTuning.Kind.values().length];
    int close = 0;
    int weak = 0;
    int weakKind = 0;
    for (int v = 0; v < w.length; v++) {
      count[home[v]][kinds[v].ordinal()]++;
      int[] order = order(w[v]);
      double gap = w[v][order[0]] - w[v][order[1]];
      close += gap < VoxelTuning.CLOSE_MARGIN ? 1 : 0;
      weak += w[v][order[0]] < VoxelTuning.WEAK_TOP ? 1 : 0;
      switch (kinds[v]) {
        case MIXED -> {
          assertTrue(gap <= (VoxelTuning.SPLIT_MAX - VoxelTuning.SPLIT_MIN) * VoxelTuning.PAIR_MAX + 1e-12);
          int other = order[0] == home[v] ? order[1] : order[0];
          assertTrue(order[0] == home[v] || order[1] == home[v], "voxel " + v + " " + Arrays.toString(w[v]));
          assertTrue(Arrays.stream(VoxelTuning.PARTNERS[home[v]]).anyMatch(p -> p == other));
        }
        case SELECTIVE -> assertTrue(w[v][home[v]] >= VoxelTuning.SELECTIVE_MIN
            && w[v][home[v]] <= VoxelTuning.SELECTIVE_MAX);
        case WEAK -> weakKind += w[v][order[0]] < VoxelTuning.WEAK_TOP ? 1 : 0;
        default -> throw new IllegalStateException();
      }
    }
    for (int c = 0; c < 5; c++) {
      assertArrayEquals(new int[] {50, 30, 20}, count[c], "selective, two-category, weak in patch " + c);
    }
    // Documented: at least MIXED_FRACTION of the voxels have their top two weights within 0.10 (seed 12: 236 of 500),
    // and about 15% have no weight above 0.35 (seed 12: 76, all of the weakly selective kind).
    System.out.printf("cortex tuning, 500 voxels: top two within %.2f %d, no weight above %.2f %d (%d of the 100 weak"
        + " kind)%n", VoxelTuning.CLOSE_MARGIN, close, VoxelTuning.WEAK_TOP, weak, weakKind);
    assertTrue(close >= VoxelTuning.MIXED_FRACTION * w.length, "close " + close);
    assertTrue(weakKind >= 0.7 * VoxelTuning.WEAK_FRACTION * w.length, "weakly selective kind below 0.35: "
        + weakKind);
    assertTrue(weak >= 0.12 * w.length && weak <= VoxelTuning.WEAK_FRACTION * w.length, "weak " + weak);
    // The DOMINANT regime has (almost) neither.
    double[][] d = VoxelTuning.draw(TuningRegime.DOMINANT, home, 5, new Random(12));
    assertOnTheSimplex(d);
    int dominantWeak = 0;
    for (double[] row : d) {
      dominantWeak += row[order(row)[0]] < VoxelTuning.WEAK_TOP ? 1 : 0;
    }
    assertEquals(0, dominantWeak);
  }

  /**
   * A CORTEX NSD subject: the ROI files follow the rule of FlocRois on the written t-maps, some voxels are in two ROI
   * files, the union of the ROIs is the planted voxels, and the tuning has close, weak and varied secondary weights.
   */
  @Test
  void cortexNsdRoisOverlapAndFollowTheTMaps() throws Exception {
    Path root = tmp.resolve("nsd");
    NsdSynth.write(root, new NsdSynth.Spec(5, 1, 250, 1, 150, new int[] {12, 14, 10}, 8));
    long[] voxels = Npy.readLongVector(root.resolve("truth/voxels.npy"));
    int v = voxels.length;
    assertEquals(150, v);
    double[][] tuning = rows(Npy.readMatrix(root.resolve("truth/tuning.npy")), v, 5);
    double[][] flocT = rows(Npy.readMatrix(root.resolve("truth/floc_t.npy")), v, 5);
    assertOnTheSimplex(tuning);
    boolean[][] in = new boolean[v][5];
    double[] brain = Nifti.readData(root.resolve(FUNC + "brainmask.nii.gz"));
    java.util.Set<Long> planted = new java.util.HashSet<>();
    for (long x : voxels) {
      planted.add(x);
    }
    for (int c = 0; c < 5; c++) {
      double[] labels = Nifti.readData(root.resolve(c == 4 ? "masks/food.nii.gz" : FUNC + "roi/" + NSD_ROIS[c]
          + ".nii.gz"));
      for (int lin = 0; lin < labels.length; lin++) {
        assertEquals(brain[lin] > 0 ? 0 : -1, Math.min(labels[lin], 0), "label code at " + lin);
        assertTrue(labels[lin] <= 0 || planted.contains((long) lin), "only planted voxels are in an ROI");
      }
      double[] t = c < 4 ? Nifti.readData(root.resolve(FUNC + "floc_" + NSD_TMAPS[c] + "tval.nii.gz")) : null;
      for (int q = 0; q < v; q++) {
        in[q][c] = labels[(int) voxels[q]] > 0;
        if (t != null) {
          assertEquals(t[(int) voxels[q]], flocT[q][c], 0, "floc_t.npy holds the t-map's value");
        }
      }
    }
    int two = 0;
    for (int q = 0; q < v; q++) {
      int best = 0;
      int k = 0;
      for (int c = 0; c < 5; c++) {
        best = flocT[q][c] > flocT[q][best] ? c : best;
      }
      for (int c = 0; c < 5; c++) {
        assertEquals(flocT[q][c] > 2.0 || c == best, in[q][c], "voxel " + voxels[q] + " in " + NSD_ROIS[c]);
        k += in[q][c] ? 1 : 0;
      }
      two += k >= 2 ? 1 : 0;
    }
    // Seed 5: 37 of 150 voxels (25%) are in two ROI files (seed 1 at the synth nsd defaults: 44 of 200, 22%).
    System.out.println("cortex NSD subject: " + two + " of " + v + " voxels in two or more ROI files");
    assertTrue(two >= 0.1 * v, "voxels in two ROIs: " + two);
    assertTuningIsCortexLike(tuning, in);
    assertTrue(Files.readString(root.resolve("truth/README.txt")).contains("floc_t.npy"));
  }

  /** A CORTEX NOD subject: the dlabels follow FlocRois on the fLoc betas, overlap, and cover the planted grayordinates. */
  @Test
  void cortexNodRoisOverlapAndFollowTheFlocBetas() {
    Path root = tmp.resolve("nod");
    NodSynth.write(root, new NodSynth.Spec(9, 1, 1, 1, 10, 4, 1, 120, 600, 8));
    Path floc = root.resolve("derivatives/ciftify/sub-01/results/ses-floc_task-floc");
    long[] gray = Npy.readLongVector(root.resolve("truth/grayordinates.npy"));
    int v = gray.length;
    assertEquals(120, v);
    double[][] tuning = rows(Npy.readMatrix(root.resolve("truth/tuning.npy")), v, 5);
    assertOnTheSimplex(tuning);
    Cifti.Dense betas = Cifti.read(floc.resolve("ses-floc_task-floc_beta.dscalar.nii"));
    int maps = betas.maps();
    String[] files = {"faces", "bodies", "places", "words"};
    int[] map = {2, 1, 3, 0}; // Face, Body, Place, Character
    boolean[][] in = new boolean[v][5];
    java.util.Set<Long> planted = new java.util.HashSet<>();
    for (long x : gray) {
      planted.add(x);
    }
    for (int c = 0; c < 4; c++) {
      double[] keys = Cifti.read(floc.resolve("floc-" + files[c] + ".dlabel.nii")).data();
      boolean[] used = new boolean[3];
      for (int g = 0; g < keys.length; g++) {
        assertTrue(keys[g] == 0 || planted.contains((long) g), "only planted grayordinates are in an ROI");
        used[(int) keys[g]] = true;
      }
      assertTrue(used[1] && used[2], "keys 1 and 2 split " + files[c]);
      for (int q = 0; q < v; q++) {
        in[q][c] = keys[(int) gray[q]] > 0;
      }
    }
    int two = 0;
    for (int q = 0; q < v; q++) {
      double[] b = new double[4];
      int best = 0;
      for (int c = 0; c < 4; c++) {
        b[c] = betas.data()[map[c] + maps * (int) gray[q]];
        best = b[c] > b[best] ? c : best;
      }
      int k = 0;
      for (int c = 0; c < 4; c++) {
        assertEquals(b[c] > 3 * 0.2 || c == best, in[q][c], "grayordinate " + gray[q] + " in " + files[c]);
        k += in[q][c] ? 1 : 0;
      }
      two += k >= 2 ? 1 : 0;
    }
    System.out.println("cortex NOD subject: " + two + " of " + v + " grayordinates in two or more ROI files");
    assertTrue(two >= 0.05 * v, "grayordinates in two ROIs: " + two); // seed 9: 22 of 120
  }

  /** Close top two, weak voxels and secondary weights that vary within each ROI. */
  private static void assertTuningIsCortexLike(double[][] tuning, boolean[][] in) {
    int v = tuning.length;
    int close = 0;
    int weak = 0;
    for (double[] row : tuning) {
      int[] order = order(row);
      close += row[order[0]] - row[order[1]] < VoxelTuning.CLOSE_MARGIN ? 1 : 0;
      weak += row[order[0]] < VoxelTuning.WEAK_TOP ? 1 : 0;
    }
    System.out.println("  top two within 0.10: " + close + ", no weight above 0.35: " + weak + " of " + v);
    assertTrue(close >= VoxelTuning.MIXED_FRACTION * v, "top two within 0.10: " + close + " of " + v);
    assertTrue(weak >= 0.1 * v, "no weight above 0.35: " + weak + " of " + v);
    for (int c = 0; c < 5; c++) {
      for (int o = 0; o < 5; o++) {
        if (o == c) {
          continue;
        }
        double mean = 0;
        int n = 0;
        for (int q = 0; q < v; q++) {
          if (in[q][c]) {
            mean += tuning[q][o];
            n++;
          }
        }
        mean /= n;
        double var = 0;
        for (int q = 0; q < v; q++) {
          if (in[q][c]) {
            var += (tuning[q][o] - mean) * (tuning[q][o] - mean) / n;
          }
        }
        assertTrue(n > 1 && var > 1e-4, "within-ROI variance of category " + o + " in ROI " + c + ": " + var);
      }
    }
  }

  private static void assertOnTheSimplex(double[][] w) {
    for (int v = 0; v < w.length; v++) {
      double sum = 0;
      for (double x : w[v]) {
        assertTrue(x >= 0, "row " + v + " " + Arrays.toString(w[v]));
        sum += x;
      }
      assertEquals(1.0, sum, 1e-12, "row " + v);
    }
  }

  /** Category indices by decreasing weight. */
  private static int[] order(double[] row) {
    return java.util.stream.IntStream.range(0, row.length).boxed()
        .sorted((a, b) -> Double.compare(row[b], row[a])).mapToInt(Integer::intValue).toArray();
  }

  private static double[][] rows(double[] columnMajor, int rows, int cols) {
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r][c] = columnMajor[r + rows * c];
      }
    }
    return out;
  }
}
