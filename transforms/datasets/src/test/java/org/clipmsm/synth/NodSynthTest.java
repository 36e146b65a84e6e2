package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.nod.NodPrepare;
import org.clipmsm.nod.NodRun;
import org.clipmsm.nod.NodSubject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A synthetic NOD subject read back with the NOD readers, against a direct computation and its planted truth. */
class NodSynthTest {
  @TempDir
  static Path tmp;
  static Path root;
  static final NodSynth.Spec SPEC = new NodSynth.Spec(21, 1, 1, 2, 100, 12, 3, 80, 600, 16);

  @BeforeAll
  static void generate() {
    root = tmp.resolve("a");
    NodSynth.write(root, SPEC);
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  @Test
  void layoutIsNodsAndTheSameSeedGivesTheSameBytes() throws Exception {
    Path again = tmp.resolve("b");
    NodSynth.write(again, SPEC);
    List<Path> a = files(root);
    assertEquals(a, files(again));
    for (Path p : a) {
      assertArrayEquals(Files.readAllBytes(root.resolve(p)), Files.readAllBytes(again.resolve(p)), p.toString());
    }
    String results = "derivatives/ciftify/sub-01/results/";
    for (String f : new String[] {
        results + "ses-imagenet01_task-imagenet_run-2/ses-imagenet01_task-imagenet_run-2_beta.dscalar.nii",
        results + "ses-coco_task-coco_run-3/ses-coco_task-coco_run-3_label.txt",
        results + "ses-floc_task-floc/floc-words.dlabel.nii", results + "ses-floc_task-floc/ses-floc_task-floc_beta.dscalar.nii",
        "sub-01/ses-imagenet01/func/sub-01_ses-imagenet01_task-imagenet_run-01_events.tsv",
        "sub-01/ses-coco/func/sub-01_ses-coco_task-coco_run-03_events.tsv", "stimuli/coco/000000100000.jpg",
        "truth/tuning.npy", "truth/content.npy", "truth/stimuli.txt"}) {
      assertTrue(Files.isRegularFile(root.resolve(f)), f);
    }
    CiftiXml xml = Cifti.readXml(root.resolve(results + "ses-floc_task-floc/floc-faces.dlabel.nii"));
    assertEquals(600, xml.grayordinates());
    assertEquals("CIFTI_STRUCTURE_CORTEX_LEFT", xml.brainModels().get(0).brainStructure());
    assertEquals("CIFTI_STRUCTURE_CORTEX_RIGHT", xml.brainModels().get(1).brainStructure());
  }

  @Test
  void fullSizeSpaceHasFsLr32kCounts() {
    CiftiXml space = SurfaceSpace.cortex(59412, new java.util.Random(1));
    assertEquals(29696, space.brainModels().get(0).indexCount());
    assertEquals(29716, space.brainModels().get(1).indexCount());
    assertEquals(32492, space.brainModels().get(1).surfaceVertices());
    int[] v = space.brainModels().get(1).vertexIndices();
    assertEquals(29716, v.length);
    for (int i = 1; i < v.length; i++) {
      assertTrue(v[i] > v[i - 1] && v[i] < 32492);
    }
  }

  @Test
  void readersFindTheRunsRoisAndRows() throws Exception {
    NodSubject s = NodSubject.open(root, 1);
    assertEquals(2, s.imagenetRuns().size());
    assertEquals(3, s.cocoRuns().size());
    assertArrayEquals(Npy.readLongVector(root.resolve("truth/grayordinates.npy")),
        java.util.Arrays.stream(s.rois().voxels()).asLongStream().toArray());
    NodPrepare.Rows rows = NodPrepare.rows(s);
    assertEquals(Files.readAllLines(root.resolve("truth/stimuli.txt")), rows.stimuli());
    assertEquals(212, rows.stimuli().size());
    assertEquals(3, rows.repetitions().get(211));
    assertEquals("coco", rows.tasks().get(200));
  }

  /** Z-scoring per run (population sd) and COCO averaging done directly on the files, by map name. */
  @Test
  void preparedBlockEqualsADirectComputation() {
    NodSubject s = NodSubject.open(root, 1);
    int[] gray = s.rois().voxels();
    Matrix got = NodPrepare.block(s, gray);
    List<double[]> rows = new ArrayList<>();
    for (NodRun r : s.imagenetRuns()) {
      double[][] z = zscored(Cifti.read(r.betas()), gray);
      rows.addAll(List.of(z));
    }
    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (NodRun r : s.cocoRuns()) {
      Cifti.Dense d = Cifti.read(r.betas());
      double[][] z = zscored(d, gray);
      for (int m = 0; m < d.maps(); m++) {
        String name = d.xml().maps().get(m).name();
        double[] acc = sums.computeIfAbsent(name, k -> new double[gray.length]);
        for (int c = 0; c < gray.length; c++) {
          acc[c] += z[m][c];
        }
        counts.merge(name, 1, Integer::sum);
      }
    }
    sums.forEach((k, acc) -> {
      for (int c = 0; c < acc.length; c++) {
        acc[c] /= counts.get(k);
      }
      rows.add(acc);
    });
    assertEquals(rows.size(), got.rows());
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < gray.length; c++) {
        assertEquals(rows.get(i)[c], got.get(i, c), 1e-10, "row " + i + " column " + c);
      }
    }
  }

  private static double[][] zscored(Cifti.Dense d, int[] gray) {
    int maps = d.maps();
    double[][] z = new double[maps][gray.length];
    for (int c = 0; c < gray.length; c++) {
      double mean = 0;
      for (int m = 0; m < maps; m++) {
        mean += d.data()[m + maps * gray[c]] / maps;
      }
      double var = 0;
      for (int m = 0; m < maps; m++) {
        double e = d.data()[m + maps * gray[c]] - mean;
        var += e * e / maps;
      }
      double sd = Math.sqrt(var);
      for (int m = 0; m < maps; m++) {
        z[m][c] = (d.data()[m + maps * gray[c]] - mean) / sd;
      }
    }
    return z;
  }

  @Test
  void eventsAloneGiveTheSameRowsAsTheLabelFiles() throws Exception {
    Path copy = tmp.resolve("events-only");
    NodSynth.write(copy, SPEC);
    NodSubject withLabels = NodSubject.open(copy, 1);
    NodPrepare.Rows expected = NodPrepare.rows(withLabels);
    Matrix expectedBlock = NodPrepare.block(withLabels, withLabels.rois().voxels());
    for (NodRun r : withLabels.runs()) {
      Files.delete(r.labels());
    }
    NodSubject fromEvents = NodSubject.open(copy, 1);
    assertEquals(expected, NodPrepare.rows(fromEvents));
    assertArrayEquals(expectedBlock.data(), NodPrepare.block(fromEvents, fromEvents.rois().voxels()).data(), 0);
  }

  /**
   * ImageNet rows are single trials: within a run, the correlation of a grayordinate's response with its planted
   * signal is ncsnr / sqrt(1 + ncsnr^2) in expectation (signal variance s^2, noise s^2 / ncsnr^2).
   */
  @Test
  void responsesFollowThePlantedTuningAtThePlantedNoiseLevel() {
    NodSubject s = NodSubject.open(root, 1);
    int[] gray = s.rois().voxels();
    Matrix got = NodPrepare.block(s, gray);
    double[] content = Npy.readMatrix(root.resolve("truth/content.npy"));
    double[] tuning = Npy.readMatrix(root.resolve("truth/tuning.npy"));
    double[] ncsnr = Npy.readVector(root.resolve("truth/ncsnr.npy"));
    int n = 212;
    int v = gray.length;
    double observed = 0;
    double expected = 0;
    for (int q = 0; q < v; q++) {
      for (int run = 0; run < 2; run++) {
        double[] x = new double[100];
        double[] y = new double[100];
        for (int t = 0; t < 100; t++) {
          int row = run * 100 + t;
          for (int c = 0; c < 5; c++) {
            x[t] += content[row + n * c] * tuning[q + v * c];
          }
          y[t] = got.get(row, q);
        }
        observed += new org.apache.commons.math3.stat.correlation.PearsonsCorrelation().correlation(x, y) / (2 * v);
      }
      expected += ncsnr[q] / Math.sqrt(1 + ncsnr[q] * ncsnr[q]) / v;
    }
    assertEquals(expected, observed, 0.04, "mean correlation with the planted signal");
  }
}
