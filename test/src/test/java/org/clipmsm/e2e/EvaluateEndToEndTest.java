package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.TTest;
import org.clipmsm.image.RgbImage;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.Npy;
import org.clipmsm.nsd.NsdSubject;
import org.clipmsm.stimuli.ImageReader;
import org.clipmsm.stimuli.ImageRef;
import org.clipmsm.stimuli.ImageSources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipmsm evaluate} on a run of two synthetic NSD subjects assembled with the command line (docs/evaluation.md
 * §1): synth nsd, prepare nsd with the fLoc ROIs and the food mask, tiny-CLIP embeddings ordered as the responses,
 * the labels' text embeddings, P, fits of two models ("clip", and "pixels": mean colours of a 4 x 4 grid of each
 * stimulus), a learning curve at two training sizes, the dissection per ROI and their union, and for the first
 * subject hand-written Network Dissection outputs. Every table is checked against the spec's header and against
 * numbers recomputed here from the run's own files.
 */
class EvaluateEndToEndTest {
  static final List<String> LABELS = List.of("faces", "bodies", "places", "words", "food");
  static final List<String> CONCEPTS = List.of("face", "person", "house", "text", "pizza", "sky");
  static final List<String> MODELS = List.of("clip", "pixels");
  static final List<String> SUBJECTS = List.of("subj01", "subj02");
  static final List<Integer> PIECES = List.of(10, 34);
  static final int IMAGES = 500;
  static final int VOXELS = 150;
  /** The voxel of subj01 that Network Dissection leaves without a label. */
  static final int UNLABELLED = 7;

  static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("fig2_voxels.csv", "subject,voxel,rois,noise_ceiling,significant,r2_clip,r2_pixels");
    HEADERS.put("fig2_r2.csv", "subject,roi,model,voxels,mean_r2,median_r2,significant");
    HEADERS.put("fig2_ttest.csv", "subject,roi,model_a,model_b,n,mean_a,mean_b,mean_diff,t,df,p");
    HEADERS.put("fig2_learning.csv", "subject,model,train_pieces,train_images,roi,mean_r2");
    HEADERS.put("fig2_histogram.csv", "subject,model,nc_from,nc_to,r2_from,r2_to,voxels");
    HEADERS.put("fig3_voxels.csv", "subject,voxel,rois,msm_label,msm_cosine,netdissect_label,netdissect_category,"
        + "netdissect_iou,netdissect_cosine");
    HEADERS.put("fig3_ttest.csv", "subject,roi,n,mean_msm,mean_netdissect,mean_diff,t,df,p");
    HEADERS.put("fig4_counts.csv", "subject,set,label,name,voxels,fraction");
    HEADERS.put("fig4_probes.csv", "subject,set,label,name,voxels,rank,image,mean_activation");
    HEADERS.put("fig6_r.csv", "subject,label,map,voxels,r_msm,r_onehot");
    HEADERS.put("fig6_voxels.csv", "subject,voxel,label,map,truth,msm,onehot");
    HEADERS.put("fig6_ttest.csv", "label,subjects,mean_r_msm,mean_r_onehot,mean_diff,t,df,p");
    HEADERS.put("parameters.csv", "name,value");
  }

  @TempDir
  static Path tmp;
  static Path run;
  static Path eval;
  static Cli evaluate;

  static void ok(String... args) {
    Cli r = Cli.run(args);
    assertEquals(0, r.status, String.join(" ", args) + "\n" + r);
  }

  static void write(Path f, String text) {
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void assembleAndEvaluate() throws Exception {
    run = tmp.resolve("run");
    Path work = tmp.resolve("work");
    write(run.resolve("labels.txt"), String.join("\n", LABELS) + "\n");
    write(run.resolve("models.txt"), String.join("\n", MODELS) + "\n");
    write(run.resolve("concepts.txt"), String.join("\n", CONCEPTS) + "\n");
    ok("embed-text", "--labels", run.resolve("labels.txt").toString(), "--model", "tiny-clip", "--out",
        run.resolve("text.npy").toString());
    ok("embed-text", "--labels", run.resolve("concepts.txt").toString(), "--model", "tiny-clip", "--out",
        run.resolve("concepts_text.npy").toString());
    for (int k = 1; k <= SUBJECTS.size(); k++) {
      subject(k, SUBJECTS.get(k - 1), work.resolve(SUBJECTS.get(k - 1)));
    }
    netdissect(run.resolve("subj01"));
    evaluate = Cli.run("evaluate", "--run", run.toString());
    assertEquals(0, evaluate.status, evaluate.toString());
    eval = run.resolve("evaluation");
  }

  /** One subject of the run, each step a command as a user runs it. */
  static void subject(int k, String name, Path work) throws Exception {
    Path nsd = work.resolve("nsd");
    Path dir = run.resolve(name);
    Path prepared = dir.resolve("prepared");
    ok("synth", "nsd", "--out", nsd.toString(), "--seed", Integer.toString(20 + k), "--subject", Integer.toString(k),
        "--images", Integer.toString(IMAGES), "--sessions", "2", "--voxels", Integer.toString(VOXELS), "--grid",
        "14,16,12", "--image-size", "64");
    String rois = "floc-faces,floc-bodies,floc-places,floc-words," + nsd.resolve("masks/food.nii.gz");
    ok("prepare", "nsd", "--nsd-root", nsd.toString(), "--subject", Integer.toString(k), "--rois", rois, "--out",
        prepared.toString());
    ok("embed", "--images", nsd.toString(), "--model", "tiny-clip", "--out", work.resolve("embed").toString());
    ok("embed", "--features", work.resolve("embed/embeddings.npy").toString(), "--keys",
        work.resolve("embed/keys.csv").toString(), "--key-column", "key", "--order",
        prepared.resolve("image_keys.csv").toString(), "--order-column", "nsdId", "--out",
        work.resolve("features").toString());
    Path clip = work.resolve("features/embeddings.npy");
    ok("similarities", "--image-embeddings", clip.toString(), "--text-embeddings", run.resolve("text.npy").toString(),
        "--out", work.resolve("P.npy").toString());
    long[] nsdIds = column(prepared.resolve("image_keys.csv"), "nsdId");
    Path pixels = work.resolve("pixels.npy");
    pixelFeatures(nsd.resolve(ImageSources.NSD_STIMULI), nsdIds, pixels);
    Map<String, Path> features = Map.of("clip", clip, "pixels", pixels);
    String responses = prepared.resolve("responses.npy").toString();
    for (String m : MODELS) {
      ok("fit", "--features", features.get(m).toString(), "--responses", responses, "--out",
          dir.resolve("fit").resolve(m).toString(), "--significance", "--bootstraps", "200", "--ncsnr",
          prepared.resolve("ncsnr.npy").toString(), "--trials", "3");
      for (int n : PIECES) {
        ok("fit", "--features", features.get(m).toString(), "--responses", responses, "--train-pieces",
            Integer.toString(n), "--out", dir.resolve("learning").resolve(m).resolve(Integer.toString(n)).toString());
      }
    }
    // One voxel set per ROI of voxels.csv (dissect adds their union).
    Csv.Table voxels = Csv.read(prepared.resolve("voxels.csv"));
    StringBuilder sets = new StringBuilder("set,voxel\n");
    for (String roi : List.of("floc-faces", "floc-bodies", "floc-places", "floc-words", "food")) {
      int c = voxels.column(roi);
      for (int v = 0; v < voxels.size(); v++) {
        if (voxels.getLong(v, c) > 0) {
          sets.append(roi).append(',').append(v).append('\n');
        }
      }
    }
    write(work.resolve("sets.csv"), sets.toString());
    ok("dissect", "--embeddings", clip.toString(), "--weights", dir.resolve("fit/clip/weights.npy").toString(),
        "--similarities", work.resolve("P.npy").toString(), "--labels", run.resolve("labels.txt").toString(),
        "--voxel-sets", work.resolve("sets.csv").toString(), "--out", dir.resolve("dissect").toString());
    Files.copy(NsdSubject.funcDir(nsd, k).resolve("brainmask.nii.gz"), dir.resolve("space.nii.gz"));
    // food_images.csv: the rows whose image holds food (the synthetic truth's content, row = nsdId, food last).
    double[] content = Npy.readMatrix(nsd.resolve("truth/content.npy"));
    int n = Npy.readHeader(nsd.resolve("truth/content.npy")).rows();
    StringBuilder food = new StringBuilder("row\n");
    for (int r = 0; r < nsdIds.length; r++) {
      if (content[(int) nsdIds[r] + n * 4] > 0) {
        food.append(r).append('\n');
      }
    }
    write(dir.resolve("food_images.csv"), food.toString());
  }

  /** Mean R, G and B over each cell of a 4 x 4 grid of each stimulus: 48 features, rows in the responses' order. */
  static void pixelFeatures(Path hdf5, long[] nsdIds, Path out) {
    int f = 48;
    double[] x = new double[nsdIds.length * f];
    try (ImageReader reader = new ImageReader()) {
      for (int r = 0; r < nsdIds.length; r++) {
        RgbImage img = reader.read(ImageRef.hdf5(hdf5.toString(), (int) nsdIds[r]));
        double[] sum = new double[f];
        int[] count = new int[16];
        for (int y = 0; y < img.height(); y++) {
          for (int xx = 0; xx < img.width(); xx++) {
            int cell = (4 * y / img.height()) * 4 + 4 * xx / img.width();
            count[cell]++;
            for (int ch = 0; ch < 3; ch++) {
              sum[cell * 3 + ch] += img.rgb()[3 * (y * img.width() + xx) + ch] & 0xff;
            }
          }
        }
        for (int j = 0; j < f; j++) {
          x[r + nsdIds.length * j] = sum[j] / count[j / 3] / 255.0;
        }
      }
    }
    Npy.writeMatrix(out, x, nsdIds.length, f, Npy.DType.FLOAT32);
  }

  /**
   * Network Dissection's outputs for subj01, written by hand: each voxel labelled with a concept drawn from a seeded
   * generator (one voxel left unlabelled), its IoU the row maximum of iou.npy.
   */
  static void netdissect(Path dir) {
    Random rnd = new Random(11);
    int c = CONCEPTS.size();
    double[] iou = new double[VOXELS * c];
    StringBuilder csv = new StringBuilder("voxel,label,category,iou,interpretable\n");
    for (int v = 0; v < VOXELS; v++) {
      int label = rnd.nextInt(c);
      double best = 0.01 + 0.09 * rnd.nextDouble();
      for (int j = 0; j < c; j++) {
        iou[v + VOXELS * j] = j == label ? best : best * rnd.nextDouble();
      }
      if (v != UNLABELLED) {
        csv.append(v).append(',').append(CONCEPTS.get(label)).append(",object,").append(best).append(',')
            .append(best >= 0.04).append('\n');
      }
    }
    write(dir.resolve("netdissect/netdissect.csv"), csv.toString());
    Npy.writeMatrix(dir.resolve("netdissect/iou.npy"), iou, VOXELS, c, Npy.DType.FLOAT64);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------------------------

  static long[] column(Path csv, String name) {
    Csv.Table t = Csv.read(csv);
    int c = t.column(name);
    long[] out = new long[t.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getLong(i, c);
    }
    return out;
  }

  /** A table of evaluate's as rows of name -> field. */
  static List<Map<String, String>> rows(String file) {
    Csv.Table t = Csv.read(eval.resolve(file));
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      Map<String, String> m = new HashMap<>();
      for (int c = 0; c < t.header().size(); c++) {
        m.put(t.header().get(c), t.get(i, c));
      }
      out.add(m);
    }
    return out;
  }

  static double num(Map<String, String> row, String column) {
    return Double.parseDouble(row.get(column));
  }

  static Map<String, String> only(List<Map<String, String>> rows, String... keyValues) {
    List<Map<String, String>> hits = rows.stream().filter(r -> {
      for (int i = 0; i < keyValues.length; i += 2) {
        if (!keyValues[i + 1].equals(r.get(keyValues[i]))) {
          return false;
        }
      }
      return true;
    }).toList();
    assertEquals(1, hits.size(), "rows matching " + List.of(keyValues));
    return hits.get(0);
  }

  static void assertNear(double expected, double actual, double tolerance, String what) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
    } else {
      assertEquals(expected, actual, tolerance, what);
    }
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Pearson's r by its formula. */
  static double pearson(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /** The paired t statistic by its formula: mean(d) / (sd(d) / sqrt n), sd over n - 1. */
  static double pairedT(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = a[i] - b[i];
    }
    double m = mean(d);
    double ss = 0;
    for (double x : d) {
      ss += (x - m) * (x - m);
    }
    return m / (Math.sqrt(ss / (d.length - 1)) / Math.sqrt(d.length));
  }

  static double[] matrixColumn(Path npy, int col) {
    return Npy.readColumns(npy, col, 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The outputs
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void everyTableHasTheSpecsHeader() throws IOException {
    for (Map.Entry<String, String> e : HEADERS.entrySet()) {
      Path f = eval.resolve(e.getKey());
      assertTrue(Files.isRegularFile(f), e.getKey() + " written");
      assertEquals(e.getValue(), Files.readAllLines(f).get(0), e.getKey());
    }
    assertTrue(Files.isRegularFile(eval.resolve(".clipmsm")), "a clipmsm result");
    assertTrue(evaluate.out.contains("evaluate: 2 subjects"), evaluate.out);
  }

  @Test
  void fig2VoxelsHoldTheFitsValues() {
    List<Map<String, String>> rows = rows("fig2_voxels.csv");
    assertEquals(SUBJECTS.size() * VOXELS, rows.size());
    for (String s : SUBJECTS) {
      double[] r2Clip = Npy.readVector(run.resolve(s).resolve("fit/clip/r2.npy"));
      double[] r2Pixels = Npy.readVector(run.resolve(s).resolve("fit/pixels/r2.npy"));
      double[] nc = Npy.readVector(run.resolve(s).resolve("fit/clip/noise_ceiling.npy"));
      boolean[] sig = Npy.readBoolVector(run.resolve(s).resolve("fit/clip/significant.npy"));
      Csv.Table voxels = Csv.read(run.resolve(s).resolve("prepared/voxels.csv"));
      for (int v : new int[] {0, 42, VOXELS - 1}) {
        Map<String, String> row = only(rows, "subject", s, "voxel", Integer.toString(v));
        assertEquals(r2Clip[v], num(row, "r2_clip"), 0);
        assertEquals(r2Pixels[v], num(row, "r2_pixels"), 0);
        assertEquals(nc[v], num(row, "noise_ceiling"), 0);
        assertEquals(sig[v] ? "1" : "0", row.get("significant"));
        List<String> in = new ArrayList<>();
        for (String roi : List.of("floc-faces", "floc-bodies", "floc-places", "floc-words", "food")) {
          if (voxels.getLong(v, voxels.column(roi)) > 0) {
            in.add(roi);
          }
        }
        assertEquals(String.join(";", in), row.get("rois"));
      }
    }
  }

  @Test
  void fig2R2AndTTestsRecomputedFromTheVoxelTable() {
    List<Map<String, String>> voxels = rows("fig2_voxels.csv");
    List<Map<String, String>> r2 = rows("fig2_r2.csv");
    List<Map<String, String>> tt = rows("fig2_ttest.csv");
    assertEquals(SUBJECTS.size() * 6 * MODELS.size(), r2.size()); // 5 ROIs and all
    assertEquals(SUBJECTS.size() * 6, tt.size()); // one pair of models
    TTest commons = new TTest();
    for (String s : SUBJECTS) {
      for (String roi : List.of("floc-faces", "food", "all")) {
        List<Map<String, String>> in = voxels.stream().filter(v -> v.get("subject").equals(s)
            && (roi.equals("all") || List.of(v.get("rois").split(";")).contains(roi))).toList();
        double[] a = in.stream().mapToDouble(v -> num(v, "r2_clip")).toArray();
        double[] b = in.stream().mapToDouble(v -> num(v, "r2_pixels")).toArray();
        Map<String, String> row = only(tt, "subject", s, "roi", roi);
        assertEquals("clip", row.get("model_a"));
        assertEquals("pixels", row.get("model_b"));
        assertEquals(a.length, Integer.parseInt(row.get("n")));
        assertEquals(a.length - 1, Integer.parseInt(row.get("df")));
        assertEquals(mean(a), num(row, "mean_a"), 1e-12);
        assertEquals(mean(b), num(row, "mean_b"), 1e-12);
        assertEquals(pairedT(a, b), num(row, "t"), 1e-9 * Math.abs(pairedT(a, b)));
        assertEquals(commons.pairedT(a, b), num(row, "t"), 1e-9 * Math.abs(pairedT(a, b)));
        double p = commons.pairedTTest(a, b);
        assertEquals(p, num(row, "p"), 1e-9 * p + 1e-300);
        Map<String, String> r = only(r2, "subject", s, "roi", roi, "model", "clip");
        assertEquals(a.length, Integer.parseInt(r.get("voxels")));
        assertEquals(mean(a), num(r, "mean_r2"), 1e-12);
        double[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        assertEquals(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2, num(r, "median_r2"), 0);
        long significant = in.stream().filter(v -> v.get("significant").equals("1")).count();
        assertEquals(significant, Long.parseLong(r.get("significant")));
      }
      // CLIP features explain the synthetic responses (the tuning is over what the scenes hold) far better than
      // mean colours.
      Map<String, String> all = only(tt, "subject", s, "roi", "all");
      assertTrue(num(all, "mean_a") > 0.1 && num(all, "t") > 5 && num(all, "p") < 1e-6, all.toString());
    }
  }

  @Test
  void fig2LearningCurveAndHistogram() {
    List<Map<String, String>> learning = rows("fig2_learning.csv");
    assertEquals(SUBJECTS.size() * MODELS.size() * PIECES.size() * 6, learning.size());
    for (String s : SUBJECTS) {
      for (int n : PIECES) {
        double[] r2 = Npy.readVector(run.resolve(s).resolve("learning/clip/" + n + "/r2.npy"));
        Map<String, String> row = only(learning, "subject", s, "model", "clip", "train_pieces", Integer.toString(n),
            "roi", "all");
        assertEquals(mean(r2), num(row, "mean_r2"), 1e-12);
        // 500 rows in 40 pieces: 20 of 13, then 12s.
        assertEquals(n == 10 ? 130 : 20 * 13 + 14 * 12, Integer.parseInt(row.get("train_images")));
      }
    }
    List<Map<String, String>> hist = rows("fig2_histogram.csv");
    assertEquals(SUBJECTS.size() * MODELS.size() * 2500, hist.size());
    for (String s : SUBJECTS) {
      double[] nc = Npy.readVector(run.resolve(s).resolve("fit/clip/noise_ceiling.npy"));
      double[] r2 = Npy.readVector(run.resolve(s).resolve("fit/pixels/r2.npy"));
      long total = 0;
      long[] expected = new long[2500];
      for (int v = 0; v < VOXELS; v++) {
        int i = (int) Math.max(0, Math.min(49, Math.floor(nc[v] / 2)));
        int j = (int) Math.max(0, Math.min(49, Math.floor(100 * r2[v] / 2)));
        expected[i * 50 + j]++;
      }
      for (Map<String, String> row : hist) {
        if (!row.get("subject").equals(s) || !row.get("model").equals("pixels")) {
          continue;
        }
        int i = (int) (num(row, "nc_from") / 2);
        int j = (int) (num(row, "r2_from") / 2);
        assertEquals(2 * i + 2, num(row, "nc_to"), 0);
        assertEquals(2 * j + 2, num(row, "r2_to"), 0);
        assertEquals(expected[i * 50 + j], Long.parseLong(row.get("voxels")), row.toString());
        total += Long.parseLong(row.get("voxels"));
      }
      assertEquals(VOXELS, total);
    }
  }

  @Test
  void fig3CosinesAndTTestRecomputed() {
    List<Map<String, String>> voxels = rows("fig3_voxels.csv");
    assertEquals(SUBJECTS.size() * VOXELS, voxels.size()); // the union of the ROIs holds every voxel
    double[] text = Npy.readMatrix(run.resolve("text.npy"));
    double[] concepts = Npy.readMatrix(run.resolve("concepts_text.npy"));
    int d = Npy.readHeader(run.resolve("text.npy")).cols();
    Path dir = run.resolve("subj01");
    double[] weights = Npy.readMatrix(dir.resolve("fit/clip/weights.npy"));
    long[] argmax = Npy.readLongVector(dir.resolve("dissect/union/argmax.npy"));
    for (int v : new int[] {0, 3, 99}) {
      Map<String, String> row = only(voxels, "subject", "subj01", "voxel", Integer.toString(v));
      int label = (int) argmax[v];
      assertEquals(LABELS.get(label), row.get("msm_label"));
      int c = CONCEPTS.indexOf(row.get("netdissect_label"));
      assertTrue(c >= 0, row.toString());
      assertEquals("object", row.get("netdissect_category"));
      double dot = 0;
      double tt = 0;
      double ww = 0;
      double dotC = 0;
      double cc = 0;
      for (int k = 0; k < d; k++) {
        double w = weights[k + d * v];
        double t = text[label + LABELS.size() * k];
        double ct = concepts[c + CONCEPTS.size() * k];
        dot += t * w;
        tt += t * t;
        ww += w * w;
        dotC += ct * w;
        cc += ct * ct;
      }
      assertEquals(dot / Math.sqrt(tt * ww), num(row, "msm_cosine"), 1e-12);
      assertEquals(dotC / Math.sqrt(cc * ww), num(row, "netdissect_cosine"), 1e-12);
    }
    Map<String, String> unlabelled = only(voxels, "subject", "subj01", "voxel", Integer.toString(UNLABELLED));
    assertEquals("", unlabelled.get("netdissect_label"));
    assertEquals("", unlabelled.get("netdissect_cosine"));
    // subj02 has no netdissect/: its Network Dissection columns are empty and it has no t-test.
    assertEquals("", only(voxels, "subject", "subj02", "voxel", "5").get("netdissect_label"));
    List<Map<String, String>> tt = rows("fig3_ttest.csv");
    assertEquals(6, tt.size());
    for (String roi : List.of("floc-places", "all")) {
      List<Map<String, String>> in = voxels.stream().filter(v -> v.get("subject").equals("subj01")
          && !v.get("netdissect_cosine").isEmpty()
          && (roi.equals("all") || List.of(v.get("rois").split(";")).contains(roi))).toList();
      double[] a = in.stream().mapToDouble(v -> num(v, "msm_cosine")).toArray();
      double[] b = in.stream().mapToDouble(v -> num(v, "netdissect_cosine")).toArray();
      Map<String, String> row = only(tt, "subject", "subj01", "roi", roi);
      assertEquals(a.length, Integer.parseInt(row.get("n")));
      assertEquals(mean(a), num(row, "mean_msm"), 1e-12);
      assertEquals(mean(b), num(row, "mean_netdissect"), 1e-12);
      assertEquals(pairedT(a, b), num(row, "t"), 1e-9 * Math.abs(pairedT(a, b)));
      assertEquals(new TTest().pairedTTest(a, b), num(row, "p"), 1e-9);
    }
    assertEquals(VOXELS - 1, Integer.parseInt(only(tt, "subject", "subj01", "roi", "all").get("n")));
  }

  @Test
  void fig4CopiesDissectsCountsAndProbes() throws IOException {
    for (String[] f : new String[][] {{"fig4_counts.csv", "top_label_counts.csv"},
        {"fig4_probes.csv", "probe_images.csv"}}) {
      List<String> expected = new ArrayList<>();
      for (String s : SUBJECTS) {
        List<String> lines = Files.readAllLines(run.resolve(s).resolve("dissect").resolve(f[1]));
        for (String l : lines.subList(1, lines.size())) {
          expected.add(s + "," + l);
        }
      }
      List<String> got = Files.readAllLines(eval.resolve(f[0]));
      assertEquals(expected, got.subList(1, got.size()), f[0]);
    }
    assertTrue(rows("fig4_counts.csv").stream().anyMatch(r -> r.get("set").equals("union")));
  }

  @Test
  void fig6CorrelationsRecomputedAndPositive() {
    List<Map<String, String>> r = rows("fig6_r.csv");
    assertEquals(SUBJECTS.size() * LABELS.size(), r.size());
    for (String s : SUBJECTS) {
      Path dir = run.resolve(s);
      Path msm = dir.resolve("dissect/union/msm.npy");
      long[] argmax = Npy.readLongVector(dir.resolve("dissect/union/argmax.npy"));
      Map<String, String> maps = Map.of("faces", "faces", "bodies", "bodies", "places", "places", "words",
          "characters");
      for (int d = 0; d < 4; d++) {
        String label = LABELS.get(d);
        double[] truth = Npy.readVector(dir.resolve("prepared/floc_" + maps.get(label) + ".npy"));
        double[] oneHot = new double[VOXELS];
        for (int v = 0; v < VOXELS; v++) {
          oneHot[v] = argmax[v] == d ? 1 : 0;
        }
        Map<String, String> row = only(r, "subject", s, "label", label);
        assertEquals(maps.get(label), row.get("map"));
        assertEquals(VOXELS, Integer.parseInt(row.get("voxels")));
        assertEquals(pearson(matrixColumn(msm, d), truth), num(row, "r_msm"), 1e-12);
        assertEquals(pearson(oneHot, truth), num(row, "r_onehot"), 1e-12);
        if (d < 3) {
          assertTrue(num(row, "r_msm") > 0.3, "faces, bodies and places maps track the fLoc maps: " + row);
        }
      }
      // food: the mean response to the food images.
      double[] responses = Npy.readMatrix(dir.resolve("prepared/responses.npy"));
      long[] food = column(dir.resolve("food_images.csv"), "row");
      double[] truth = new double[VOXELS];
      for (int v = 0; v < VOXELS; v++) {
        for (long row : food) {
          truth[v] += responses[(int) row + IMAGES * v] / food.length;
        }
      }
      Map<String, String> row = only(r, "subject", s, "label", "food");
      assertEquals("food_images", row.get("map"));
      assertEquals(pearson(matrixColumn(msm, 4), truth), num(row, "r_msm"), 1e-9);
    }
    List<Map<String, String>> tt = rows("fig6_ttest.csv");
    assertEquals(LABELS.size(), tt.size());
    for (String label : LABELS) {
      double[] a = SUBJECTS.stream().mapToDouble(s -> num(only(r, "subject", s, "label", label), "r_msm")).toArray();
      double[] b = SUBJECTS.stream().mapToDouble(s -> num(only(r, "subject", s, "label", label), "r_onehot"))
          .toArray();
      Map<String, String> row = only(tt, "label", label);
      assertEquals("2", row.get("subjects"));
      assertEquals("1", row.get("df"));
      assertEquals(mean(a), num(row, "mean_r_msm"), 1e-12);
      assertEquals(mean(b), num(row, "mean_r_onehot"), 1e-12);
      double t = pairedT(a, b);
      assertNear(Double.isFinite(t) ? t : Double.NaN, num(row, "t"), 1e-9 * Math.abs(t), label + " t");
      if (Double.isFinite(t)) {
        // df 1: the t distribution is Cauchy, p = 1 - (2/pi) atan |t|.
        assertEquals(1 - 2 / Math.PI * Math.atan(Math.abs(t)), num(row, "p"), 1e-9, label + " p");
      }
    }
  }

  /** fig6_voxels.csv holds the values of every r of fig6_r.csv: recomputed from it, each r comes out the same. */
  @Test
  void fig6VoxelsRecomputeEveryR() {
    List<Map<String, String>> voxels = rows("fig6_voxels.csv");
    for (Map<String, String> row : rows("fig6_r.csv")) {
      List<Map<String, String>> in = voxels.stream().filter(v -> v.get("subject").equals(row.get("subject"))
          && v.get("label").equals(row.get("label")) && Double.isFinite(num(v, "truth"))).toList();
      assertEquals(Integer.parseInt(row.get("voxels")), in.size(), row.toString());
      double[] truth = in.stream().mapToDouble(v -> num(v, "truth")).toArray();
      double[] msm = in.stream().mapToDouble(v -> num(v, "msm")).toArray();
      assertEquals(num(row, "r_msm"), pearson(msm, truth), 1e-12, row.toString());
      in.forEach(v -> assertEquals(row.get("map"), v.get("map")));
    }
  }

  @Test
  void fig5MapsAreScaledToTheUnitInterval() throws IOException {
    for (String s : SUBJECTS) {
      Path maps = eval.resolve("maps").resolve(s);
      try (Stream<Path> files = Files.list(maps)) {
        assertEquals(2 * LABELS.size(), files.count());
      }
      long[] lin = column(run.resolve(s).resolve("prepared/voxels.csv"), "voxel");
      for (String label : LABELS) {
        for (String kind : List.of("_msm", "_floc")) {
          Path f = maps.resolve(label + kind + ".nii.gz");
          double[] vol = Nifti.readData(f);
          int finite = 0;
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (double x : vol) {
            if (!Double.isNaN(x)) {
              finite++;
              min = Math.min(min, x);
              max = Math.max(max, x);
            }
          }
          assertEquals(VOXELS, finite, f.toString());
          assertEquals(0, min, 0, f.toString());
          assertEquals(1, max, 0, f.toString());
          assertFalse(Double.isNaN(vol[(int) lin[0]]));
        }
      }
      // The faces map at a voxel is its msm weight, scaled: (x - min) / (max - min) over the subject's voxels.
      double[] w = matrixColumn(run.resolve(s).resolve("dissect/union/msm.npy"), 0);
      double lo = java.util.Arrays.stream(w).min().orElseThrow();
      double hi = java.util.Arrays.stream(w).max().orElseThrow();
      double[] vol = Nifti.readData(maps.resolve("faces_msm.nii.gz"));
      assertEquals((float) ((w[3] - lo) / (hi - lo)), vol[(int) lin[3]], 0);
    }
  }

  @Test
  void parametersListWhatWasReadAndLeftOut() {
    List<Map<String, String>> p = rows("parameters.csv");
    assertEquals("clip;pixels", only(p, "name", "models").get("value"));
    assertEquals("subj01;subj02", only(p, "name", "subjects").get("value"));
    assertEquals("5", only(p, "name", "label_count").get("value"));
    assertEquals("characters", only(p, "name", "ground_truth.subj01.words").get("value"));
    assertTrue(p.stream().anyMatch(r -> r.get("name").equals("read")
        && r.get("value").equals("subj02/fit/pixels/r2.npy")), "paths relative to the run: " + p);
    assertTrue(p.stream().noneMatch(r -> r.get("value").contains(run.toString())), "no absolute path: " + p);
    assertTrue(p.stream().anyMatch(r -> r.get("name").equals("skipped") && r.get("value").contains("subj02")
        && r.get("value").contains("netdissect")), p.toString());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bad runs
  // ---------------------------------------------------------------------------------------------------------------

  /** A copy of the run without its evaluation/, to break. */
  static Path copyOfRun(String name) throws IOException {
    Path copy = tmp.resolve(name);
    try (Stream<Path> walk = Files.walk(run)) {
      for (Path p : walk.toList()) {
        Path rel = run.relativize(p);
        if (rel.toString().startsWith("evaluation")) {
          continue;
        }
        Path target = copy.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return copy;
  }

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  @Test
  void badRunsAreOneLineNamingTheFile() throws IOException {
    Path noPrepared = copyOfRun("no-prepared");
    deleteTree(noPrepared.resolve("subj02/prepared"));
    Cli.assertRejected(noPrepared.resolve("evaluation"), "subj02/prepared", "evaluate", "--run",
        noPrepared.toString());
    assertFalse(Files.exists(noPrepared.resolve("evaluation")));

    Path unknownModel = copyOfRun("unknown-model");
    write(unknownModel.resolve("models.txt"), "clip\npixels\nalexnet\n");
    Cli bad = Cli.assertRejected(unknownModel.resolve("evaluation"), "subj01/fit/alexnet", "evaluate", "--run",
        unknownModel.toString());
    assertTrue(bad.err.contains("models.txt"), bad.err);

    Path fewerLabels = copyOfRun("fewer-labels");
    write(fewerLabels.resolve("labels.txt"), "faces\nbodies\nplaces\nwords\n");
    Files.delete(fewerLabels.resolve("text.npy"));
    bad = Cli.assertRejected(fewerLabels.resolve("evaluation"), "msm.npy", "evaluate", "--run",
        fewerLabels.toString());
    assertTrue(bad.err.contains("labels.txt") && bad.err.contains("5 columns"), bad.err);
    // With text.npy still there its rows disagree first, and the line names both files.
    Files.copy(run.resolve("text.npy"), fewerLabels.resolve("text.npy"));
    bad = Cli.assertRejected(fewerLabels.resolve("evaluation"), "text.npy", "evaluate", "--run",
        fewerLabels.toString());
    assertTrue(bad.err.contains("labels.txt"), bad.err);

    Cli.assertRejected("no such directory", "evaluate", "--run", tmp.resolve("nowhere").toString());
    // An evaluation/ that is not a clipmsm result is never replaced.
    Path foreign = copyOfRun("foreign-evaluation");
    write(foreign.resolve("evaluation/notes.txt"), "mine");
    Cli.assertRejected("--run: ", "evaluate", "--run", foreign.toString());
    assertEquals("mine", Files.readString(foreign.resolve("evaluation/notes.txt")));
    Path noModels = copyOfRun("no-models");
    Files.delete(noModels.resolve("models.txt"));
    Cli.assertRejected(noModels.resolve("evaluation"), "models.txt", "evaluate", "--run", noModels.toString());
  }

  @Test
  void aRerunReplacesTheEvaluation() throws IOException {
    Path again = copyOfRun("again");
    Cli first = Cli.run("evaluate", "--run", again.toString());
    assertEquals(0, first.status, first.toString());
    Files.writeString(again.resolve("evaluation/stale.txt"), "from an earlier run");
    deleteTree(again.resolve("subj02/learning"));
    Cli second = Cli.run("evaluate", "--run", again.toString());
    assertEquals(0, second.status, second.toString());
    assertFalse(Files.exists(again.resolve("evaluation/stale.txt")));
    // subj02 has no learning curve now: only subj01's rows, and a note.
    assertEquals(1 + MODELS.size() * PIECES.size() * 6,
        Files.readAllLines(again.resolve("evaluation/fig2_learning.csv")).size());
    assertTrue(Files.readString(again.resolve("evaluation/parameters.csv")).contains("subj02: no learning"));
    // Byte-identical tables from the same inputs.
    assertEquals(Files.readString(eval.resolve("fig6_r.csv")), Files.readString(again.resolve("evaluation/fig6_r.csv")));
  }
}
