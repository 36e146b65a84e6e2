package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, smaller: the nsd study on synthetic subjects in both tuning regimes through the real path
 * (tiny-CLIP embeddings of the drawn stimuli, ridge fits, SoftWPMI dissection, evaluation, report). Checked: the
 * table carries each study's Fig. 6 numbers as evaluate wrote them, and the planted one-hot ceiling recomputed here
 * from the synthetic truth and the evaluation's per-voxel values. Which method scores higher is reported, not tested.
 */
class DemoEndToEndTest {
  static final List<String> LABELS = List.of("faces", "bodies", "places", "words", "food");

  @TempDir
  Path tmp;

  @Test
  void bothRegimesGetTheirFig6TableAndTheOneHotCeiling() throws Exception {
    Path out = tmp.resolve("demo");
    Cli run = Cli.run("demo", "--out", out.toString(), "--subjects", "3", "--images", "250", "--voxels", "100",
        "--image-size", "48");
    assertEquals(0, run.status, run.toString());
    Csv.Table table = Csv.read(out.resolve("demo_table.csv"));
    assertEquals(List.of("regime", "label", "subjects", "mean_r_msm", "mean_r_onehot", "t", "p",
        "mean_r_onehot_ceiling"), table.header());
    assertEquals(10, table.size(), "two regimes x five labels");
    for (int i = 0; i < table.size(); i++) {
      String regime = table.get(i, 0);
      String label = table.get(i, 1);
      assertEquals(i < 5 ? "cortex" : "dominant", regime);
      assertEquals(LABELS.get(i % 5), label);
      assertEquals("3", table.get(i, 2));
      Path eval = out.resolve("study-" + regime).resolve("evaluation");
      Csv.Table tt = Csv.read(eval.resolve("fig6_ttest.csv"));
      int row = rowOf(tt, "label", label);
      for (String c : List.of("mean_r_msm", "mean_r_onehot", "t", "p")) {
        assertEquals(tt.get(row, tt.column(c)), table.get(i, table.column(c)), regime + " " + label + " " + c);
      }
      double ceiling = 0;
      for (int s = 1; s <= 3; s++) {
        ceiling += plantedOneHotR(out, regime, String.format("subj%02d", s), label) / 3;
      }
      assertEquals(ceiling, Double.parseDouble(table.get(i, 7)), 1e-12, regime + " " + label + " ceiling");
      // The chain recovers the planted tuning at all: each map follows its ground truth.
      assertTrue(Double.parseDouble(table.get(i, 3)) > 0.5, regime + " " + label);
    }
    for (String regime : List.of("cortex", "dominant")) {
      assertTrue(Files.isRegularFile(out.resolve("study-" + regime).resolve("report/index.html")));
    }
    assertTrue(run.out.contains("one-hot of the planted argmax"), run.out);
  }

  static int rowOf(Csv.Table t, String column, String value) {
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i, t.column(column)).equals(value)) {
        return i;
      }
    }
    throw new AssertionError("no " + column + " " + value + " in " + t.file());
  }

  /**
   * r between the one-hot of each voxel's planted argmax category and the label's ground truth, over the voxels of
   * fig6_voxels.csv, by the textbook formula.
   */
  static double plantedOneHotR(Path demo, String regime, String subject, String label) {
    Path truth = demo.resolve("nsd-" + regime).resolve("truth").resolve(subject);
    NpyHeader h = Npy.readHeader(truth.resolve("tuning.npy"));
    double[] tuning = Npy.readMatrix(truth.resolve("tuning.npy"));
    long[] lin = Npy.readLongVector(truth.resolve("voxels.npy"));
    Map<Long, Integer> tuningRow = new HashMap<>();
    for (int q = 0; q < lin.length; q++) {
      tuningRow.put(lin[q], q);
    }
    Path study = demo.resolve("study-" + regime);
    Csv.Table voxels = Csv.read(study.resolve(subject).resolve("prepared/voxels.csv"));
    Csv.Table values = Csv.read(study.resolve("evaluation/fig6_voxels.csv"));
    int d = LABELS.indexOf(label);
    List<double[]> pairs = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (!values.get(i, 0).equals(subject) || !values.get(i, 2).equals(label)) {
        continue;
      }
      double gt = Double.parseDouble(values.get(i, 4));
      if (!Double.isFinite(gt)) {
        continue;
      }
      int column = Integer.parseInt(values.get(i, 1));
      int q = tuningRow.get(voxels.getLong(column, voxels.column("voxel")));
      int best = 0;
      for (int c = 1; c < h.cols(); c++) {
        if (tuning[q + h.rows() * c] > tuning[q + h.rows() * best]) {
          best = c;
        }
      }
      pairs.add(new double[] {best == d ? 1 : 0, gt});
    }
    int n = pairs.size();
    double mx = pairs.stream().mapToDouble(p -> p[0]).sum() / n;
    double my = pairs.stream().mapToDouble(p -> p[1]).sum() / n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] p : pairs) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
      syy += (p[1] - my) * (p[1] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
