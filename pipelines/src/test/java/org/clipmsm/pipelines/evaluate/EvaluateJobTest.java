package org.clipmsm.pipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EvaluateJob} on small runs written by hand, whose every number is worked out below: the tables of Fig. 2
 * with NaN and clamping, a dissection without voxel sets, ground truth from the second candidate map, the maps, what
 * is left out, and the up-front checks.
 */
class EvaluateJobTest {
  @TempDir
  Path tmp;

  static void write(Path f, String text) throws IOException {
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  static void vector(Path f, double... v) throws IOException {
    Files.createDirectories(f.getParent());
    Npy.writeVector(f, v, Npy.DType.FLOAT64);
  }

  /**
   * One subject "s1" of 4 voxels and 3 images; ROIs a = {0, 1}, b = {1, 2, 3}; models m1 and m2 (m2 has the noise
   * ceiling, m1 the significance); labels faces and tree.
   */
  Path smallRun() throws IOException {
    Path run = tmp.resolve("run");
    write(run.resolve("models.txt"), "m1\nm2\n");
    write(run.resolve("labels.txt"), "faces\ntree\n");
    Path s = run.resolve("s1");
    write(s.resolve("prepared/voxels.csv"), "column,voxel,i,j,k,a,b\n0,0,0,0,0,1,0\n1,1,1,0,0,2,1\n2,2,0,1,0,0,1\n"
        + "3,3,1,1,0,-1,1\n");
    Npy.writeMatrix(s.resolve("prepared/responses.npy"), new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4,
        Npy.DType.FLOAT32);
    vector(s.resolve("fit/m1/r2.npy"), 0.1, 0.2, Double.NaN, 0.4);
    Files.createDirectories(s.resolve("fit/m1"));
    Npy.writeBoolVector(s.resolve("fit/m1/significant.npy"), new boolean[] {true, false, false, true});
    vector(s.resolve("fit/m2/r2.npy"), 0.0, 0.1, 0.3, 0.1);
    vector(s.resolve("fit/m2/noise_ceiling.npy"), 10, 50, 100, 120);
    return run;
  }

  static List<Map<String, String>> rows(Path f) {
    Csv.Table t = Csv.read(f);
    List<Map<String, String>> out = new java.util.ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      Map<String, String> m = new HashMap<>();
      for (int c = 0; c < t.header().size(); c++) {
        m.put(t.header().get(c), t.get(i, c));
      }
      out.add(m);
    }
    return out;
  }

  static Map<String, String> only(List<Map<String, String>> rows, String... kv) {
    List<Map<String, String>> hits = rows.stream().filter(r -> {
      for (int i = 0; i < kv.length; i += 2) {
        if (!kv[i + 1].equals(r.get(kv[i]))) {
          return false;
        }
      }
      return true;
    }).toList();
    assertEquals(1, hits.size(), List.of(kv).toString());
    return hits.get(0);
  }

  static double num(Map<String, String> r, String c) {
    return Double.parseDouble(r.get(c));
  }

  @Test
  void fig2TablesHandWorked() throws IOException {
    Path run = smallRun();
    EvaluateJob.Summary s = EvaluateJob.run(EvaluateSettings.of(run));
    Path out = run.resolve("evaluation");
    assertEquals(out, s.out());
    assertEquals(List.of("s1"), s.subjects());

    List<String> voxels = Files.readAllLines(out.resolve("fig2_voxels.csv"));
    assertEquals(List.of("subject,voxel,rois,noise_ceiling,significant,r2_m1,r2_m2",
        "s1,0,a,10.0,1,0.1,0.0", "s1,1,a;b,50.0,0,0.2,0.1", "s1,2,b,100.0,0,NaN,0.3", "s1,3,b,120.0,1,0.4,0.1"),
        voxels);

    List<Map<String, String>> r2 = rows(out.resolve("fig2_r2.csv"));
    assertEquals(3 * 2, r2.size()); // a, b, all x m1, m2
    Map<String, String> bm1 = only(r2, "roi", "b", "model", "m1");
    assertEquals("2", bm1.get("voxels")); // 0.2 and 0.4; the NaN is left out
    assertEquals(0.3, num(bm1, "mean_r2"), 1e-15);
    assertEquals(0.3, num(bm1, "median_r2"), 1e-15);
    assertEquals("1", bm1.get("significant"));
    assertEquals("", only(r2, "roi", "b", "model", "m2").get("significant")); // m2 has no significant.npy
    assertEquals(0.1, num(only(r2, "roi", "all", "model", "m2"), "median_r2"), 0); // 0, 0.1, 0.1, 0.3

    // all: pairs without the NaN, d = 0.1, 0.1, 0.3: mean 1/6, sd = sqrt(0.04 / 3), t = 2.5, df 2; with 2 df the
    // two-sided p is 1 - t / sqrt(t^2 + 2).
    Map<String, String> t = only(rows(out.resolve("fig2_ttest.csv")), "roi", "all");
    assertEquals("m1", t.get("model_a"));
    assertEquals("3", t.get("n"));
    assertEquals(0.7 / 3, num(t, "mean_a"), 1e-15);
    assertEquals(0.2 / 3, num(t, "mean_b"), 1e-15);
    assertEquals(2.5, num(t, "t"), 1e-12);
    assertEquals("2", t.get("df"));
    assertEquals(1 - 2.5 / Math.sqrt(8.25), num(t, "p"), 1e-12);
    // a: two pairs with the same difference 0.1: t and p undefined.
    Map<String, String> ta = only(rows(out.resolve("fig2_ttest.csv")), "roi", "a");
    assertEquals("NaN", ta.get("t"));
    assertEquals("1", ta.get("df"));

    // NC (from m2, the first model with one) against 100 R^2: 120 % clamps into the last bin.
    List<Map<String, String>> h = rows(out.resolve("fig2_histogram.csv"));
    assertEquals(2 * 2500, h.size());
    Map<String, Long> m1 = new HashMap<>();
    for (Map<String, String> row : h) {
      if (row.get("model").equals("m1") && !row.get("voxels").equals("0")) {
        m1.put(row.get("nc_from") + "/" + row.get("r2_from"), Long.parseLong(row.get("voxels")));
      }
    }
    assertEquals(Map.of("10.0/10.0", 1L, "50.0/20.0", 1L, "98.0/40.0", 1L), m1); // voxel 2's R^2 is NaN
    assertEquals("1", only(h, "model", "m2", "nc_from", "98.0", "r2_from", "30.0").get("voxels")); // NC 100
    assertEquals("1", only(h, "model", "m2", "nc_from", "98.0", "r2_from", "10.0").get("voxels")); // NC 120

    // Nothing else can be computed: each left out with a reason.
    assertEquals(List.of("fig2_voxels.csv", "fig2_r2.csv", "fig2_ttest.csv", "fig2_histogram.csv", "parameters.csv"),
        s.files());
    List<Map<String, String>> parameters = rows(out.resolve("parameters.csv"));
    List<String> skipped = parameters.stream().filter(p -> p.get("name").equals("skipped")).map(p -> p.get("value"))
        .toList();
    assertEquals(skipped, s.skipped());
    for (String reason : List.of("fig2_learning.csv: no learning/<model>/<N>/ in any subject", "fig4: no dissect/",
        "s1: no space file", "fig3: no text.npy", "s1: label 'faces': none of prepared/floc_{faces,face}.npy")) {
      assertTrue(skipped.stream().anyMatch(x -> x.startsWith(reason)), reason + " in " + skipped);
    }
    assertTrue(parameters.contains(Map.of("name", "read", "value", "s1/fit/m2/noise_ceiling.npy")), parameters
        .toString());
    assertTrue(Files.exists(out.resolve(".clipmsm")));
  }

  @Test
  void dissectionWithoutVoxelSetsGroundTruthAndMaps() throws IOException {
    Path run = smallRun();
    Path s = run.resolve("s1");
    // msm of 4 voxels x 2 labels; argmax 0, 0, 1, 1.
    Files.createDirectories(s.resolve("dissect"));
    Npy.writeMatrix(s.resolve("dissect/msm.npy"), new double[] {0.9, 0.6, 0.2, 0.4, 0.1, 0.4, 0.8, 0.6}, 4, 2,
        Npy.DType.FLOAT64);
    Npy.writeIntVector(s.resolve("dissect/argmax.npy"), new int[] {0, 0, 1, 1});
    // faces: no floc_faces.npy, so the second candidate, floc_face.npy.
    vector(s.resolve("prepared/floc_face.npy"), 3, 1, -1, 1);
    // The space: a 2 x 2 x 1 volume.
    Nifti.write(s.resolve("space.nii.gz"), new long[] {2, 2, 1}, new double[] {1, 1, 1, 1}, 4, null);
    EvaluateJob.Summary summary = EvaluateJob.run(EvaluateSettings.of(run));
    Path out = run.resolve("evaluation");
    // r of (0.9, 0.6, 0.2, 0.4) with (3, 1, -1, 1): deviations (0.375, 0.075, -0.325, -0.125) and (2, 0, -2, 0):
    // sum of products 1.4, sums of squares 0.2675 and 8: r = 1.4 / sqrt(2.14). One-hot (1, 1, 0, 0): deviations
    // +-0.5, sum of products 2, sums of squares 1 and 8: r = 2 / sqrt 8.
    Map<String, String> r = only(rows(out.resolve("fig6_r.csv")), "label", "faces");
    assertEquals("face", r.get("map"));
    assertEquals("4", r.get("voxels"));
    assertEquals(1.4 / Math.sqrt(2.14), num(r, "r_msm"), 1e-12);
    assertEquals(2 / Math.sqrt(8), num(r, "r_onehot"), 1e-12);
    assertEquals(1, rows(out.resolve("fig6_r.csv")).size()); // tree has no ground truth
    Map<String, String> t = only(rows(out.resolve("fig6_ttest.csv")), "label", "faces");
    assertEquals("1", t.get("subjects"));
    assertEquals("NaN", t.get("t")); // one subject: no t-test
    assertEquals(1, summary.fig6().size());
    // Maps: (x - min) / (max - min) at the voxels' linear indices.
    double[] msm = Nifti.readData(out.resolve("maps/s1/faces_msm.nii.gz"));
    assertEquals(1, msm[0], 0);
    assertEquals(0.4 / 0.7, msm[1], 1e-7); // float32 volumes
    assertEquals(0, msm[2], 0);
    assertEquals(0.2 / 0.7, msm[3], 1e-7);
    double[] floc = Nifti.readData(out.resolve("maps/s1/faces_floc.nii.gz"));
    assertEquals(0.5, floc[1], 0);
    assertFalse(Files.exists(out.resolve("maps/s1/tree_msm.nii.gz")));
    // Fig. 3 needs text.npy and the weights: left out.
    assertFalse(Files.exists(out.resolve("fig3_voxels.csv")));
    assertTrue(summary.skipped().contains("fig3: no text.npy"), summary.skipped().toString());
    String parameters = Files.readString(out.resolve("parameters.csv"));
    assertTrue(parameters.contains("ground_truth.s1.faces,face"), parameters);
    assertTrue(parameters.contains("dissection.s1,s1/dissect\n"), parameters);
  }

  @Test
  void learningCurveTrainingRows() {
    // np.array_split(range(n), 40): the first n % 40 pieces one longer.
    assertEquals(130, EvaluationTables.trainImages(500, 10)); // 10 pieces of 13
    assertEquals(20 * 13 + 14 * 12, EvaluationTables.trainImages(500, 34));
    assertEquals(34 * 250, EvaluationTables.trainImages(10000, 34));
    assertEquals(5 * 2, EvaluationTables.trainImages(45, 5)); // 45 = 40 + 5: the first 5 pieces have 2 rows
    assertEquals(5 * 2 + 1, EvaluationTables.trainImages(45, 6));
  }

  @Test
  void badInputIsOneLineNamingTheFile() throws IOException {
    Path run = smallRun();
    Path s = run.resolve("s1");
    assertMessage(run, "models.txt", "fit/m3: no such directory", () -> write(run.resolve("models.txt"), "m1\nm3\n"));
    write(run.resolve("models.txt"), "m1\nm2\n");
    assertMessage(run, "r2.npy", "5 values", () -> vector(s.resolve("fit/m2/r2.npy"), 1, 2, 3, 4, 5));
    vector(s.resolve("fit/m2/r2.npy"), 0.0, 0.1, 0.3, 0.1);
    assertMessage(run, "learning/m1/x", "training size", () -> Files.createDirectories(s.resolve("learning/m1/x")));
    Files.delete(s.resolve("learning/m1/x"));
    assertMessage(run, "food_images.csv", "row 3", () -> write(s.resolve("food_images.csv"), "row\n0\n3\n"));
    Files.delete(s.resolve("food_images.csv"));
    assertMessage(run, "voxels.csv", "column 1 (expected the rows in column order: 0)", () -> write(s.resolve("prepared/voxels.csv"),
        "column,voxel,a\n1,0,1\n0,1,1\n2,2,0\n3,3,0\n"));
    write(s.resolve("prepared/voxels.csv"), "column,voxel,a\n0,0,1\n1,1,1\n2,2,0\n");
    assertMessage(run, "responses.npy", "4 columns", () -> { });
    write(s.resolve("prepared/voxels.csv"), "column,voxel,a\n0,0,1\n1,1,1\n2,2,0\n3,3,0\n");
    Files.createDirectories(s.resolve("dissect"));
    assertMessage(run, "dissect", "no msm.npy", () -> { });
    Npy.writeMatrix(s.resolve("dissect/msm.npy"), new double[12], 4, 3, Npy.DType.FLOAT64);
    assertMessage(run, "msm.npy", "3 columns (labels), but", () -> { });
    Npy.writeMatrix(s.resolve("dissect/msm.npy"), new double[8], 4, 2, Npy.DType.FLOAT64);
    assertMessage(run, "argmax.npy", "no such file", () -> { });
    Npy.writeIntVector(s.resolve("dissect/argmax.npy"), new int[] {0, 2, 0, 0});
    assertMessage(run, "argmax.npy", "label 2", () -> { });
    Npy.writeIntVector(s.resolve("dissect/argmax.npy"), new int[] {0, 1, 0, 0});
    write(s.resolve("netdissect/netdissect.csv"), "voxel,label,category,iou,interpretable\n0,sky,object,0.1,true\n");
    write(run.resolve("concepts.txt"), "tree\n");
    assertMessage(run, "netdissect.csv", "'sky' is not in", () -> { });
    Files.delete(run.resolve("concepts.txt"));
    Files.createDirectories(run.resolve("s2"));
    assertMessage(run, "s2/prepared", "no such directory", () -> { });
    assertThrows(InvalidInputException.class, () -> EvaluateJob.run(EvaluateSettings.of(tmp.resolve("none"))));
  }

  interface Change {
    void apply() throws IOException;
  }

  void assertMessage(Path run, String file, String what, Change change) throws IOException {
    change.apply();
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> EvaluateJob.run(EvaluateSettings.of(run)));
    assertTrue(e.getMessage().contains(file) && e.getMessage().contains(what), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertFalse(Files.exists(run.resolve("evaluation")), "nothing written");
  }
}
