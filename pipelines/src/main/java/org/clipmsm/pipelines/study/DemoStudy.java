package org.clipmsm.pipelines.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.beam.Progress;
import org.clipmsm.evaluation.Pearson;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.pipelines.PrepareNsdSettings;
import org.clipmsm.pipelines.evaluate.EvaluationFiles;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.synth.Category;
import org.clipmsm.synth.NsdSynth;
import org.clipmsm.synth.TuningRegime;

/**
 * The demo: the {@code nsd} study ({@link Study}) on synthetic NSD subjects whose answer is planted, once per tuning
 * regime (docs/datasets.md §5): cortex-like subjects (overlapping ROIs, mixed and weak selectivity) and, as the row
 * that shows the difference, the dominant regime where every voxel is dominated by its ROI's category. Each study
 * ends with its evaluation and report; the demo then sets the paper's Fig. 6 comparison (CLIP-MSM's graded map and
 * CLIP-Dissect's one-hot map against the fLoc ground truth, paired t-test across subjects) beside the ceiling a
 * perfect one-hot map reaches on the same truth: the one-hot of each voxel's planted argmax category. Written to
 * {@code demo_table.csv} (per regime and label) and {@code demo_subjects.csv} (per regime, subject and label). The
 * result directory is staged as a whole.
 */
public final class DemoStudy {
  /** The synthetic volume: room for the ROI voxels of a subject around the five category patches. */
  private static final int[] GRID = {24, 28, 20};
  public static final String TABLE = "demo_table.csv";
  public static final String SUBJECTS = "demo_subjects.csv";

  private DemoStudy() {}

  /** One row of the demo's table: a label in a regime, over the subjects. */
  public record Row(String regime, String label, int subjects, double meanRMsm, double meanROneHot, double t,
      double p, double meanCeiling) {}

  /** The table, and the studies' reports. */
  public record Summary(List<Row> rows, Map<String, Path> reports, int subjects, int voxels) {}

  public static Summary run(PipelineOptions options, DemoSettings s, Progress progress) {
    try (OutputDirectory out = OutputDirectory.open(s.out())) {
      List<Row> rows = new ArrayList<>();
      Map<String, Path> reports = new LinkedHashMap<>();
      List<String[]> perSubject = new ArrayList<>();
      Path labels = out.dir().resolve("labels.txt");
      List<String> names = java.util.Arrays.stream(Category.values()).map(Category::label).toList();
      Files.writeString(labels, String.join("\n", names) + "\n");
      List<Integer> subjects = IntStream.rangeClosed(1, s.subjects()).boxed().toList();
      for (TuningRegime regime : List.of(TuningRegime.CORTEX, TuningRegime.DOMINANT)) {
        String name = regime.name().toLowerCase(Locale.ROOT);
        Path root = out.dir().resolve("nsd-" + name);
        long t0 = System.nanoTime();
        NsdSynth.writeSubjects(root, new NsdSynth.Spec(s.seed(), 1, s.images(), s.images() * 3 / 750, s.voxels(),
            GRID, s.imageSize()).withNiftiBetas().withRegime(regime), subjects);
        progress.note("demo", String.format("%s regime: %d synthetic NSD subjects of %d images, %d ROI voxels, in"
            + " %.1f s", name, subjects.size(), s.images(), s.voxels(), (System.nanoTime() - t0) / 1e9));
        List<String> rois = new ArrayList<>(PrepareNsdSettings.FLOC_ROIS);
        rois.add(root.resolve("masks").resolve(StudyDataset.SUBJECT).resolve("food.nii.gz").toString());
        Path study = out.dir().resolve("study-" + name);
        Study.run(options, StudySettings.of(StudyDataset.NSD, root, subjects, labels, s.model(), study)
            .withRois(rois), progress);
        reports.put(name, s.out().resolve("study-" + name).resolve("report/index.html"));
        rows.addAll(compare(name, root, study, subjects, perSubject));
      }
      write(out.dir(), rows, perSubject);
      out.commit();
      return new Summary(rows, reports, s.subjects(), s.voxels());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The study's Fig. 6 numbers per label (evaluation's fig6_ttest.csv) and, from the values they were computed on
   * (fig6_voxels.csv), the r of the planted argmax's one-hot with the same truth over the same voxels.
   */
  private static List<Row> compare(String regime, Path root, Path study, List<Integer> subjects,
      List<String[]> perSubject) {
    Path eval = study.resolve("evaluation");
    Csv.Table voxels = Csv.read(eval.resolve(EvaluationFiles.FIG6_VOXELS));
    Csv.Table r = Csv.read(eval.resolve(EvaluationFiles.FIG6_R));
    Map<String, List<Double>> ceilings = new LinkedHashMap<>();
    for (int n : subjects) {
      String subject = StudyDataset.NSD.subjectDir(n);
      int[] planted = plantedArgmax(root, study.resolve(subject), subject);
      Map<String, List<double[]>> byLabel = new LinkedHashMap<>();
      for (int i = 0; i < voxels.size(); i++) {
        if (!voxels.get(i, voxels.column("subject")).equals(subject)) {
          continue;
        }
        int v = (int) voxels.getLong(i, voxels.column("voxel"));
        double truth = Double.parseDouble(voxels.get(i, voxels.column("truth")));
        String label = voxels.get(i, voxels.column("label"));
        if (Double.isFinite(truth)) {
          int d = Category.valueOf(label.toUpperCase(Locale.ROOT)).ordinal();
          byLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(new double[] {planted[v] == d ? 1 : 0, truth});
        }
      }
      for (Map.Entry<String, List<double[]>> e : byLabel.entrySet()) {
        double[] oneHot = e.getValue().stream().mapToDouble(x -> x[0]).toArray();
        double[] truth = e.getValue().stream().mapToDouble(x -> x[1]).toArray();
        double ceiling = Pearson.of(oneHot, truth).r();
        ceilings.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ceiling);
        String rMsm = "";
        String rOneHot = "";
        for (int i = 0; i < r.size(); i++) {
          if (r.get(i, r.column("subject")).equals(subject) && r.get(i, r.column("label")).equals(e.getKey())) {
            rMsm = r.get(i, r.column("r_msm"));
            rOneHot = r.get(i, r.column("r_onehot"));
          }
        }
        perSubject.add(new String[] {regime, subject, e.getKey(), rMsm, rOneHot, Double.toString(ceiling)});
      }
    }
    Csv.Table t = Csv.read(eval.resolve(EvaluationFiles.FIG6_TTEST));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      String label = t.get(i, t.column("label"));
      double meanCeiling = ceilings.getOrDefault(label, List.of()).stream().mapToDouble(Double::doubleValue)
          .average().orElse(Double.NaN);
      rows.add(new Row(regime, label, (int) t.getLong(i, t.column("subjects")), num(t, i, "mean_r_msm"),
          num(t, i, "mean_r_onehot"), num(t, i, "t"), num(t, i, "p"), meanCeiling));
    }
    return rows;
  }

  /**
   * The planted argmax category of each column of the subject's responses: prepare's voxels.csv gives each column's
   * linear volume index, the truth's voxels.npy the index of each tuning row.
   */
  private static int[] plantedArgmax(Path root, Path subjectDir, String subject) {
    Path truth = root.resolve("truth").resolve(subject);
    NpyHeader h = Npy.readHeader(truth.resolve("tuning.npy"));
    double[] tuning = Npy.readMatrix(truth.resolve("tuning.npy"));
    long[] lin = Npy.readLongVector(truth.resolve("voxels.npy"));
    Map<Long, Integer> rowOf = new HashMap<>();
    for (int q = 0; q < lin.length; q++) {
      rowOf.put(lin[q], q);
    }
    Csv.Table vox = Csv.read(subjectDir.resolve("prepared/voxels.csv"));
    int[] out = new int[vox.size()];
    for (int v = 0; v < vox.size(); v++) {
      Integer q = rowOf.get(vox.getLong(v, vox.column("voxel")));
      if (q == null) {
        throw new IllegalStateException(subject + ": voxel " + vox.get(v, vox.column("voxel")) + " has no planted"
            + " tuning");
      }
      int best = 0;
      for (int c = 1; c < h.cols(); c++) {
        best = tuning[q + h.rows() * c] > tuning[q + h.rows() * best] ? c : best;
      }
      out[v] = best;
    }
    return out;
  }

  private static double num(Csv.Table t, int row, String column) {
    String x = t.get(row, t.column(column));
    return x.isEmpty() ? Double.NaN : Double.parseDouble(x);
  }

  private static void write(Path dir, List<Row> rows, List<String[]> perSubject) throws IOException {
    try (CSVPrinter w = Csv.printer(dir.resolve(TABLE), "regime", "label", "subjects", "mean_r_msm", "mean_r_onehot",
        "t", "p", "mean_r_onehot_ceiling")) {
      for (Row r : rows) {
        w.printRecord(r.regime(), r.label(), r.subjects(), r.meanRMsm(), r.meanROneHot(), r.t(), r.p(),
            r.meanCeiling());
      }
    }
    try (CSVPrinter w = Csv.printer(dir.resolve(SUBJECTS), "regime", "subject", "label", "r_msm", "r_onehot",
        "r_onehot_ceiling")) {
      for (String[] row : perSubject) {
        w.printRecord((Object[]) row);
      }
    }
  }
}
