package org.clipmsm.pipelines.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.csv.CSVRecord;
import org.clipmsm.evaluation.Histogram2d;
import org.clipmsm.evaluation.MeanMedian;
import org.clipmsm.evaluation.PairedTTest;
import org.clipmsm.evaluation.Pearson;
import org.clipmsm.evaluation.Vectors;
import org.clipmsm.io.BrainMaps;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;

/**
 * The outputs of docs/evaluation.md §3, each written from checked inputs into the staged result directory. A table
 * that no subject has the inputs for is not written, and the reason is noted for parameters.csv.
 */
final class EvaluationTables {
  static final String ALL = "all";
  static final String FIG2_VOXELS = EvaluationFiles.FIG2_VOXELS;
  static final String FIG2_R2 = EvaluationFiles.FIG2_R2;
  static final String FIG2_TTEST = EvaluationFiles.FIG2_TTEST;
  static final String FIG2_LEARNING = EvaluationFiles.FIG2_LEARNING;
  static final String FIG2_HISTOGRAM = EvaluationFiles.FIG2_HISTOGRAM;
  static final String FIG3_VOXELS = EvaluationFiles.FIG3_VOXELS;
  static final String FIG3_TTEST = EvaluationFiles.FIG3_TTEST;
  static final String FIG4_COUNTS = EvaluationFiles.FIG4_COUNTS;
  static final String FIG4_PROBES = EvaluationFiles.FIG4_PROBES;
  static final String FIG6_R = EvaluationFiles.FIG6_R;
  static final String FIG6_VOXELS = EvaluationFiles.FIG6_VOXELS;
  static final String FIG6_TTEST = EvaluationFiles.FIG6_TTEST;
  static final String MAPS = EvaluationFiles.MAPS;
  static final String PARAMETERS = EvaluationFiles.PARAMETERS;

  /** An ROI and its voxels (increasing); {@value #ALL} holds every voxel. */
  record Roi(String name, int[] voxels) {}

  private final RunInputs in;
  private final Path out;
  /** Files written, relative to the result directory, in the order written. */
  final List<String> written = new ArrayList<>();
  /** What was left out and why. */
  final List<String> skipped = new ArrayList<>();
  /** Per model, each subject's mean R^2 over all voxels. */
  final Map<String, List<Double>> meanR2 = new LinkedHashMap<>();
  /** Per label of Fig. 6: mean r_msm, mean r_onehot over subjects and the subjects counted. */
  final Map<String, double[]> fig6 = new LinkedHashMap<>();

  EvaluationTables(RunInputs in, Path out) {
    this.in = in;
    this.out = out;
  }

  /** Every output, then parameters.csv. */
  void writeAll() {
    fig2Voxels();
    fig2R2();
    fig2TTest();
    fig2Learning();
    fig2Histogram();
    fig3();
    fig4();
    fig6AndMaps();
    parameters();
  }

  static List<Roi> rois(SubjectInputs s) {
    List<Roi> rois = new ArrayList<>();
    for (int r = 0; r < s.rois.size(); r++) {
      rois.add(new Roi(s.rois.get(r), s.roiVoxels.get(r)));
    }
    int[] all = new int[s.voxels];
    for (int v = 0; v < all.length; v++) {
      all[v] = v;
    }
    rois.add(new Roi(ALL, all));
    return rois;
  }

  private CsvFile create(String name, String... header) {
    written.add(name);
    return CsvFile.create(out.resolve(name), header);
  }

  /** The noise ceiling of a subject: the first model's fit (in models.txt order) that has one, or null. */
  private double[] noiseCeiling(SubjectInputs s) {
    for (String m : in.models) {
      double[] nc = s.fits.get(m).noiseCeiling();
      if (nc != null) {
        return nc;
      }
    }
    return null;
  }

  private static double[] at(double[] values, int[] positions) {
    double[] v = new double[positions.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[positions[i]];
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 2
  // ---------------------------------------------------------------------------------------------------------------

  private void fig2Voxels() {
    List<String> header = new ArrayList<>(List.of("subject", "voxel", "rois", "noise_ceiling", "significant"));
    for (String m : in.models) {
      header.add("r2_" + m);
    }
    String first = in.models.get(0);
    try (CsvFile w = create(FIG2_VOXELS, header.toArray(String[]::new))) {
      for (SubjectInputs s : in.subjects) {
        double[] nc = noiseCeiling(s);
        boolean[] sig = s.fits.get(first).significant();
        if (nc == null) {
          skipped.add(FIG2_VOXELS + " " + s.name + ": no " + "noise_ceiling.npy in fit/<model>/ (column left empty)");
        }
        if (sig == null) {
          skipped.add(FIG2_VOXELS + " " + s.name + ": no fit/" + first + "/significant.npy (column left empty)");
        }
        for (int v = 0; v < s.voxels; v++) {
          Object[] row = new Object[header.size()];
          row[0] = s.name;
          row[1] = v;
          row[2] = s.roisOfVoxel[v];
          row[3] = nc == null ? null : nc[v];
          row[4] = sig == null ? null : sig[v] ? 1 : 0;
          for (int m = 0; m < in.models.size(); m++) {
            row[5 + m] = s.fits.get(in.models.get(m)).r2()[v];
          }
          w.row(row);
        }
      }
    }
  }

  private void fig2R2() {
    try (CsvFile w = create(FIG2_R2, "subject", "roi", "model", "voxels", "mean_r2", "median_r2", "significant")) {
      for (SubjectInputs s : in.subjects) {
        for (Roi roi : rois(s)) {
          for (String m : in.models) {
            SubjectInputs.Fit fit = s.fits.get(m);
            MeanMedian mm = MeanMedian.of(fit.r2(), roi.voxels());
            Integer sig = null;
            if (fit.significant() != null) {
              int c = 0;
              for (int v : roi.voxels()) {
                c += fit.significant()[v] ? 1 : 0;
              }
              sig = c;
            }
            w.row(s.name, roi.name(), m, mm.n(), mm.mean(), mm.median(), sig);
            if (roi.name().equals(ALL)) {
              meanR2.computeIfAbsent(m, k -> new ArrayList<>()).add(mm.mean());
            }
          }
        }
      }
    }
  }

  private void fig2TTest() {
    if (in.models.size() < 2) {
      skipped.add(FIG2_TTEST + ": one model in " + RunInputs.MODELS + " (a t-test compares two)");
      return;
    }
    try (CsvFile w = create(FIG2_TTEST, "subject", "roi", "model_a", "model_b", "n", "mean_a", "mean_b",
        "mean_diff", "t", "df", "p")) {
      for (SubjectInputs s : in.subjects) {
        for (Roi roi : rois(s)) {
          for (int a = 0; a < in.models.size(); a++) {
            for (int b = a + 1; b < in.models.size(); b++) {
              String ma = in.models.get(a);
              String mb = in.models.get(b);
              PairedTTest t = PairedTTest.of(at(s.fits.get(ma).r2(), roi.voxels()),
                  at(s.fits.get(mb).r2(), roi.voxels()));
              w.row(s.name, roi.name(), ma, mb, t.n(), t.meanA(), t.meanB(), t.meanDiff(), t.t(),
                  CsvFile.whole(t.df()), t.p());
            }
          }
        }
      }
    }
  }

  /** Training rows of the learning-curve scheme: the first N of 40 np.array_split pieces of the responses' rows. */
  static int trainImages(int images, int pieces) {
    int k = EvaluateSettings.LEARNING_PIECES;
    return pieces * (images / k) + Math.min(pieces, images % k);
  }

  private void fig2Learning() {
    if (in.subjects.stream().allMatch(s -> s.learning.isEmpty())) {
      skipped.add(FIG2_LEARNING + ": no learning/<model>/<N>/ in any subject");
      return;
    }
    try (CsvFile w = create(FIG2_LEARNING, "subject", "model", "train_pieces", "train_images", "roi", "mean_r2")) {
      for (SubjectInputs s : in.subjects) {
        if (s.learning.isEmpty()) {
          skipped.add(FIG2_LEARNING + " " + s.name + ": no learning/<model>/<N>/");
        }
        for (String m : in.models) {
          SortedMap<Integer, double[]> curve = s.learning.get(m);
          if (curve == null) {
            continue;
          }
          for (Map.Entry<Integer, double[]> e : curve.entrySet()) {
            for (Roi roi : rois(s)) {
              w.row(s.name, m, e.getKey(), trainImages(s.images, e.getKey()), roi.name(),
                  MeanMedian.of(e.getValue(), roi.voxels()).mean());
            }
          }
        }
      }
    }
  }

  private void fig2Histogram() {
    if (in.subjects.stream().allMatch(s -> noiseCeiling(s) == null)) {
      skipped.add(FIG2_HISTOGRAM + ": no noise_ceiling.npy in any subject's fit/<model>/");
      return;
    }
    int bins = EvaluateSettings.HISTOGRAM_BINS;
    try (CsvFile w = create(FIG2_HISTOGRAM, "subject", "model", "nc_from", "nc_to", "r2_from", "r2_to",
        "voxels")) {
      for (SubjectInputs s : in.subjects) {
        double[] nc = noiseCeiling(s);
        if (nc == null) {
          skipped.add(FIG2_HISTOGRAM + " " + s.name + ": no noise_ceiling.npy in fit/<model>/");
          continue;
        }
        for (String m : in.models) {
          double[] r2 = s.fits.get(m).r2();
          double[] pct = new double[r2.length];
          for (int v = 0; v < pct.length; v++) {
            pct[v] = 100 * r2[v];
          }
          Histogram2d h = Histogram2d.of(nc, pct, bins, EvaluateSettings.HISTOGRAM_LO, EvaluateSettings.HISTOGRAM_HI);
          for (int i = 0; i < bins; i++) {
            for (int j = 0; j < bins; j++) {
              w.row(s.name, m, h.edge(i), h.edge(i + 1), h.edge(j), h.edge(j + 1), h.count(i, j));
            }
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 3
  // ---------------------------------------------------------------------------------------------------------------

  private static double[] row(Matrix m, int i) {
    double[] r = new double[m.cols()];
    for (int k = 0; k < r.length; k++) {
      r[k] = m.get(i, k);
    }
    return r;
  }

  private void fig3() {
    if (in.labels == null || in.text == null) {
      skipped.add("fig3: no " + (in.labels == null ? RunInputs.LABELS : RunInputs.TEXT));
      return;
    }
    List<SubjectInputs> with = new ArrayList<>();
    for (SubjectInputs s : in.subjects) {
      if (s.dissection == null || s.weights == null) {
        skipped.add("fig3 " + s.name + ": no " + (s.dissection == null ? "dissect/" : "weights.npy of the first"
            + " model"));
      } else {
        with.add(s);
      }
    }
    if (with.isEmpty()) {
      return;
    }
    boolean concepts = in.concepts != null && in.conceptsText != null;
    Map<String, Integer> conceptRow = new LinkedHashMap<>();
    if (concepts) {
      for (int c = 0; c < in.concepts.size(); c++) {
        conceptRow.put(in.concepts.get(c), c);
      }
    }
    double[][] text = new double[in.labels.size()][];
    for (int d = 0; d < text.length; d++) {
      text[d] = row(in.text, d);
    }
    double[][] conceptText = concepts ? new double[in.concepts.size()][] : null;
    if (concepts) {
      for (int c = 0; c < conceptText.length; c++) {
        conceptText[c] = row(in.conceptsText, c);
      }
    }
    boolean anyTest = false;
    Map<SubjectInputs, double[][]> cosines = new LinkedHashMap<>();
    try (CsvFile w = create(FIG3_VOXELS, "subject", "voxel", "rois", "msm_label", "msm_cosine", "netdissect_label",
        "netdissect_category", "netdissect_iou", "netdissect_cosine")) {
      for (SubjectInputs s : with) {
        NpyHeader h = Npy.readHeader(s.weights);
        int features = h.rows();
        double[] weights = Npy.readMatrix(s.weights);
        SubjectInputs.Dissection dis = s.dissection;
        double[] msmCos = new double[s.voxels];
        double[] ndCos = new double[s.voxels];
        Arrays.fill(msmCos, Double.NaN);
        Arrays.fill(ndCos, Double.NaN);
        for (int i = 0; i < dis.voxels().length; i++) {
          int v = dis.voxels()[i];
          double[] wv = Arrays.copyOfRange(weights, v * features, (v + 1) * features);
          int label = dis.argmax()[i];
          msmCos[v] = Vectors.cosine(text[label], wv);
          SubjectInputs.NetDissectLabel nd = s.netdissect == null ? null : s.netdissect.get(v);
          String ndLabel = nd == null ? null : nd.label();
          if (ndLabel != null && concepts) {
            ndCos[v] = Vectors.cosine(conceptText[conceptRow.get(ndLabel)], wv);
          }
          w.row(s.name, v, s.roisOfVoxel[v], in.labels.get(label), msmCos[v], ndLabel,
              nd == null ? null : nd.category(), nd == null ? null : nd.iou(),
              ndLabel != null && concepts ? (Object) ndCos[v] : null);
        }
        if (s.netdissect == null) {
          skipped.add(FIG3_TTEST + " " + s.name + ": no netdissect/ (Network Dissection columns left empty)");
        } else if (!concepts) {
          skipped.add(FIG3_TTEST + " " + s.name + ": no " + RunInputs.CONCEPTS + " or " + RunInputs.CONCEPTS_TEXT);
        } else {
          cosines.put(s, new double[][] {msmCos, ndCos});
          anyTest = true;
        }
      }
    }
    if (!anyTest) {
      return;
    }
    try (CsvFile w = create(FIG3_TTEST, "subject", "roi", "n", "mean_msm", "mean_netdissect", "mean_diff", "t",
        "df", "p")) {
      for (Map.Entry<SubjectInputs, double[][]> e : cosines.entrySet()) {
        for (Roi roi : rois(e.getKey())) {
          PairedTTest t = PairedTTest.of(at(e.getValue()[0], roi.voxels()), at(e.getValue()[1], roi.voxels()));
          w.row(e.getKey().name, roi.name(), t.n(), t.meanA(), t.meanB(), t.meanDiff(), t.t(), CsvFile.whole(t.df()),
              t.p());
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 4
  // ---------------------------------------------------------------------------------------------------------------

  private void fig4() {
    if (in.subjects.stream().allMatch(s -> s.counts == null)) {
      skipped.add("fig4: no dissect/top_label_counts.csv and probe_images.csv in any subject");
      return;
    }
    copy(FIG4_COUNTS, SubjectInputs.COUNTS_HEADER, true);
    copy(FIG4_PROBES, SubjectInputs.PROBES_HEADER, false);
  }

  private void copy(String name, List<String> header, boolean counts) {
    List<String> h = new ArrayList<>(List.of("subject"));
    h.addAll(header);
    try (CsvFile w = create(name, h.toArray(String[]::new))) {
      for (SubjectInputs s : in.subjects) {
        Csv.Table t = counts ? s.counts : s.probes;
        if (t == null) {
          if (counts) {
            skipped.add("fig4 " + s.name + ": no dissect/ with top_label_counts.csv and probe_images.csv");
          }
          continue;
        }
        for (int i = 0; i < t.size(); i++) {
          Object[] row = new Object[h.size()];
          row[0] = s.name;
          CSVRecord r = t.records().get(i);
          for (int c = 0; c < header.size(); c++) {
            row[c + 1] = r.get(c).strip();
          }
          w.row(row);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Figs. 5 and 6
  // ---------------------------------------------------------------------------------------------------------------

  private void fig6AndMaps() {
    if (in.labels == null) {
      skipped.add("fig5 and fig6: no " + RunInputs.LABELS);
      return;
    }
    Map<String, List<double[]>> perLabel = new LinkedHashMap<>();
    boolean any = in.subjects.stream().anyMatch(s -> s.dissection != null && !s.truths.isEmpty());
    if (!any) {
      skipped.add("fig5 and fig6: no subject with both dissect/ and a label's ground truth");
      return;
    }
    try (CsvFile w = create(FIG6_R, "subject", "label", "map", "voxels", "r_msm", "r_onehot");
        CsvFile pv = create(FIG6_VOXELS, "subject", "voxel", "label", "map", "truth", "msm", "onehot")) {
      for (SubjectInputs s : in.subjects) {
        if (s.dissection == null) {
          skipped.add("fig5 and fig6 " + s.name + ": no dissect/");
          continue;
        }
        if (s.truths.isEmpty()) {
          skipped.add("fig5 and fig6 " + s.name + ": no label has a ground truth");
          continue;
        }
        SubjectInputs.Dissection dis = s.dissection;
        int n = dis.voxels().length;
        for (int d = 0; d < in.labels.size(); d++) {
          String label = in.labels.get(d);
          SubjectInputs.Truth truth = s.truths.get(label);
          if (truth == null) {
            continue;
          }
          double[] msm = new double[n];
          double[] oneHot = new double[n];
          double[] gt = new double[n];
          for (int i = 0; i < n; i++) {
            msm[i] = dis.msm().get(i, d);
            oneHot[i] = dis.argmax()[i] == d ? 1 : 0;
            gt[i] = truth.values()[dis.voxels()[i]];
            pv.row(s.name, dis.voxels()[i], label, truth.map(), gt[i], msm[i], (int) oneHot[i]);
          }
          Pearson rMsm = Pearson.of(msm, gt);
          Pearson rOneHot = Pearson.of(oneHot, gt);
          w.row(s.name, label, truth.map(), rMsm.n(), rMsm.r(), rOneHot.r());
          perLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(new double[] {rMsm.r(), rOneHot.r()});
          if (s.space != null) {
            map(s, label + "_msm", msm);
            map(s, label + "_floc", gt);
          }
        }
        if (s.space == null) {
          skipped.add("fig5 " + s.name + ": no space file (maps left out)");
        }
      }
    }
    try (CsvFile w = create(FIG6_TTEST, "label", "subjects", "mean_r_msm", "mean_r_onehot", "mean_diff", "t", "df",
        "p")) {
      for (Map.Entry<String, List<double[]>> e : perLabel.entrySet()) {
        double[] a = e.getValue().stream().mapToDouble(x -> x[0]).toArray();
        double[] b = e.getValue().stream().mapToDouble(x -> x[1]).toArray();
        PairedTTest t = PairedTTest.of(a, b);
        w.row(e.getKey(), t.n(), t.meanA(), t.meanB(), t.meanDiff(), t.t(), CsvFile.whole(t.df()), t.p());
        fig6.put(e.getKey(), new double[] {t.meanA(), t.meanB(), t.n()});
      }
    }
  }

  /** One map of Fig. 5: the values over the dissection's voxels, scaled to [0, 1], in the subject's space. */
  private void map(SubjectInputs s, String name, double[] values) {
    String space = s.space.getFileName().toString();
    boolean cifti = space.endsWith(".dscalar.nii") || space.endsWith(".dlabel.nii");
    String file = name.replaceAll("[^A-Za-z0-9._-]", "_") + (cifti ? ".dscalar.nii" : ".nii.gz");
    Path dir = out.resolve(MAPS).resolve(s.name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    int[] vox = s.dissection.voxels();
    int[] index = new int[vox.length];
    for (int i = 0; i < vox.length; i++) {
      index[i] = s.spaceIndex[vox[i]];
    }
    BrainMaps.write(dir.resolve(file), s.space, index, Vectors.rescaleToUnit(values), List.of(name));
    written.add(MAPS + "/" + s.name + "/" + file);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // parameters.csv
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A path as the run directory names it: parameters.csv says where in the run each input was, not where the run was
   * (a study evaluates its run while it is staged under a hidden name, and reruns elsewhere must read the same).
   */
  private String relative(Path p) {
    Path rel = in.run.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize());
    return rel.toString().replace('\\', '/');
  }

  private void parameters() {
    try (CsvFile w = create(PARAMETERS, "name", "value")) {
      w.row("models", String.join(";", in.models));
      w.row("subjects", String.join(";", in.subjects.stream().map(s -> s.name).toList()));
      w.row("labels", in.labels == null ? null : RunInputs.LABELS);
      w.row("label_count", in.labels == null ? null : in.labels.size());
      w.row("concepts", in.concepts == null ? null : RunInputs.CONCEPTS);
      w.row("concept_count", in.concepts == null ? null : in.concepts.size());
      w.row("histogram_bins", EvaluateSettings.HISTOGRAM_BINS);
      w.row("histogram_range", CsvFile.num(EvaluateSettings.HISTOGRAM_LO) + ".."
          + CsvFile.num(EvaluateSettings.HISTOGRAM_HI));
      for (SubjectInputs s : in.subjects) {
        w.row("rois." + s.name, String.join(";", s.rois));
        if (s.dissection != null) {
          w.row("dissection." + s.name, relative(s.dissection.dir()));
        }
        for (Map.Entry<String, SubjectInputs.Truth> e : s.truths.entrySet()) {
          w.row("ground_truth." + s.name + "." + e.getKey(), e.getValue().map());
        }
      }
      for (Path f : in.read) {
        w.row("read", relative(f));
      }
      for (String note : in.notes) {
        w.row("skipped", note);
      }
      for (SubjectInputs s : in.subjects) {
        for (String note : s.notes) {
          w.row("skipped", s.name + ": " + note);
        }
      }
      for (String note : skipped) {
        w.row("skipped", note);
      }
    }
  }
}
