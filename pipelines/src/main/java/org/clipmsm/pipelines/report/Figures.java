package org.clipmsm.pipelines.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;
import org.clipmsm.pipelines.evaluate.EvaluationFiles;
import org.clipmsm.pipelines.report.Html.Image;
import org.clipmsm.pipelines.report.Html.Row;
import org.clipmsm.pipelines.report.Html.Section;
import org.clipmsm.pipelines.report.Html.Table;

/**
 * The paper's figures (docs/method.md §6) from the CSV files of {@code evaluate} (docs/evaluation.md §3), each drawn
 * into the report directory with the tables beside it; a figure whose file is missing is replaced by a sentence that
 * names the file.
 */
final class Figures {
  static final String FIG2_R2 = EvaluationFiles.FIG2_R2;
  static final String FIG2_TTEST = EvaluationFiles.FIG2_TTEST;
  static final String FIG2_LEARNING = EvaluationFiles.FIG2_LEARNING;
  static final String FIG2_HISTOGRAM = EvaluationFiles.FIG2_HISTOGRAM;
  static final String FIG2_VOXELS = EvaluationFiles.FIG2_VOXELS;
  static final String FIG3_TTEST = EvaluationFiles.FIG3_TTEST;
  static final String FIG3_VOXELS = EvaluationFiles.FIG3_VOXELS;
  static final String FIG4_COUNTS = EvaluationFiles.FIG4_COUNTS;
  static final String FIG4_PROBES = EvaluationFiles.FIG4_PROBES;
  static final String FIG6_R = EvaluationFiles.FIG6_R;
  static final String FIG6_TTEST = EvaluationFiles.FIG6_TTEST;
  static final String PARAMETERS = EvaluationFiles.PARAMETERS;
  static final String MAPS = EvaluationFiles.MAPS;

  /** Labels drawn as their own stack in Fig. 4a; more are drawn as the largest and one stack of the others. */
  static final int MAX_STACKED = 12;

  /** The 85%-of-ceiling line of Fig. 2. */
  static final double CEILING_FRACTION = 0.85;

  /**
   * What every figure needs: where the CSV files are, where images go (the staged report directory), the link from
   * the page to the evaluation directory, the run's order of models and labels.
   */
  record Context(Path run, Path evaluation, Path out, String evaluationHref, List<String> models, List<String> labels,
      int slices) {
    Path csv(String name) {
      return evaluation.resolve(name);
    }

    /** A link to a file of the evaluation directory, relative to the page. */
    String link(String name) {
      return "<a href=\"" + Html.escape(Html.href(evaluationHref + name)) + "\">" + Html.escape(name) + "</a>";
    }

    /** The values found, in the order of {@code preferred} first (models.txt, labels.txt), then as found. */
    static List<String> order(List<String> found, List<String> preferred) {
      Set<String> out = new LinkedHashSet<>();
      for (String p : preferred) {
        if (found.contains(p)) {
          out.add(p);
        }
      }
      out.addAll(found);
      return List.copyOf(out);
    }

    /** Writes a figure into the report and describes it for the page. */
    Image png(BufferedImage image, String file, String alt, String caption) {
      Charts.writePng(image, out.resolve(file));
      return new Image(file, image.getWidth(), image.getHeight(), alt, caption);
    }
  }

  private Figures() {}

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 2: encoding performance
  // ---------------------------------------------------------------------------------------------------------------

  static Section fig2(Context ctx) {
    Section s = new Section("fig2", "Fig. 2: encoding performance of the feature models");
    s.paragraphHtml("Test R&sup2; of each voxel's ridge model for each feature model, per ROI; the learning curve over"
        + " the training size; R&sup2; against the noise ceiling; the voxels that pass the bootstrap test with"
        + " Benjamini-Hochberg FDR.");
    fig2R2(ctx, s);
    fig2Learning(ctx, s);
    fig2Histogram(ctx, s);
    fig2Significant(ctx, s);
    return s;
  }

  private static boolean present(Context ctx, Section s, String file, String what) {
    if (Files.isRegularFile(ctx.csv(file))) {
      return true;
    }
    s.missing(what + " is not drawn: " + ReportSettings.EVALUATION + "/" + file + " is missing.");
    return false;
  }

  static void fig2R2(Context ctx, Section s) {
    s.subheading("Fig. 2a: test R\u00b2 per ROI and feature model");
    if (!present(ctx, s, FIG2_R2, "Fig. 2a (test R\u00b2 per ROI and feature model)")) {
      return;
    }
    EvalCsv c = EvalCsv.read(ctx.csv(FIG2_R2), "subject", "roi", "model", "voxels", "mean_r2", "median_r2",
        "significant");
    List<String> rois = c.distinct("roi");
    List<String> models = Context.order(c.distinct("model"), ctx.models());
    int subjects = c.distinct("subject").size();
    Grouped g = Grouped.of(c, "model", models, "roi", rois, "mean_r2");
    Row row = new Row();
    if (g.anyFinite()) {
      BufferedImage img = Charts.bars("Test R\u00b2 per ROI and feature model" + overSubjects(subjects), "ROI",
          "mean test R\u00b2 (fraction of variance)", rois, models, g.means(), g.sems(), false);
      row.image(ctx.png(img, "fig2_r2.png", "Grouped bars: mean test R squared per ROI for each feature model",
          "Bars: each subject's mean test R\u00b2 over the ROI's voxels, averaged over subjects; whiskers: standard"
              + " error across subjects (none with one subject). Paired t-tests between models, per subject and"
              + " ROI, in the table."));
    } else {
      s.missing("Fig. 2a is not drawn: " + FIG2_R2 + " holds no finite mean_r2.");
    }
    if (Files.isRegularFile(ctx.csv(FIG2_TTEST))) {
      EvalCsv t = EvalCsv.read(ctx.csv(FIG2_TTEST), "subject", "roi", "model_a", "model_b", "n", "mean_a",
          "mean_b", "mean_diff", "t", "df", "p");
      row.noteHtml("Paired t-tests (two-sided, across the ROI's voxels), source " + ctx.link(FIG2_TTEST)
          + "; p &lt; 0.05 in bold.");
      row.table(Table.of("Paired t-test of test R\u00b2 between models", t));
    } else {
      s.missing("The paired t-tests of Fig. 2a are not shown: " + ReportSettings.EVALUATION + "/" + FIG2_TTEST
          + " is missing.");
    }
    row.noteHtml("Source " + ctx.link(FIG2_R2) + "; per voxel: " + ctx.link(FIG2_VOXELS) + ".");
    row.table(Table.of("Test R\u00b2 per subject, ROI and model", c));
    s.row(row);
  }

  static void fig2Learning(Context ctx, Section s) {
    s.subheading("Fig. 2b: learning curve");
    if (!present(ctx, s, FIG2_LEARNING, "Fig. 2b (the learning curve)")) {
      return;
    }
    EvalCsv c = EvalCsv.read(ctx.csv(FIG2_LEARNING), "subject", "model", "train_pieces", "train_images", "roi",
        "mean_r2");
    List<String> rois = c.distinct("roi");
    String roi = rois.contains("all") ? "all" : rois.isEmpty() ? "all" : rois.get(0);
    List<String> models = Context.order(c.distinct("model"), ctx.models());
    int subjects = c.distinct("subject").size();
    List<String> series = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    for (String m : models) {
      // train_pieces -> (images, r2) over subjects
      TreeMap<Double, double[]> sums = new TreeMap<>();
      for (int i = 0; i < c.size(); i++) {
        if (!c.text(i, "model").equals(m) || !c.text(i, "roi").equals(roi)) {
          continue;
        }
        double r2 = c.number(i, "mean_r2");
        double images = c.number(i, "train_images");
        if (!Double.isFinite(r2) || !Double.isFinite(images)) {
          continue;
        }
        double[] acc = sums.computeIfAbsent(c.number(i, "train_pieces"), k -> new double[3]);
        acc[0] += images;
        acc[1] += r2;
        acc[2]++;
      }
      if (sums.isEmpty()) {
        continue;
      }
      double[] x = new double[sums.size()];
      double[] y = new double[sums.size()];
      int k = 0;
      for (double[] acc : sums.values()) {
        x[k] = acc[0] / acc[2];
        y[k] = acc[1] / acc[2];
        k++;
      }
      series.add(m);
      xs.add(x);
      ys.add(y);
    }
    Row row = new Row();
    if (series.isEmpty()) {
      s.missing("Fig. 2b is not drawn: " + FIG2_LEARNING + " holds no finite mean_r2 for ROI " + roi + ".");
    } else {
      BufferedImage img = Charts.lines("Learning curve: mean test R\u00b2 vs training size (ROI " + roi
          + (subjects > 1 ? ", mean over " + subjects + " subjects)" : ")"), "training images (count)",
          "mean test R\u00b2 (fraction of variance)", series, xs, ys);
      row.image(ctx.png(img, "fig2_learning.png", "Lines: mean test R squared against the number of training"
          + " images, one line per feature model", "Each point: the model fitted on N training pieces (fit's"
          + " train_pieces), its mean test R\u00b2 over the voxels of ROI " + roi + ", averaged over subjects; x:"
          + " the mean number of training images. Other ROIs are in the table."));
    }
    row.noteHtml("Source " + ctx.link(FIG2_LEARNING) + ".");
    row.table(Table.of("Mean test R\u00b2 per training size", c));
    s.row(row);
  }

  static void fig2Histogram(Context ctx, Section s) {
    s.subheading("Fig. 2c: test R\u00b2 against the noise ceiling");
    if (!present(ctx, s, FIG2_HISTOGRAM, "Fig. 2c (test R\u00b2 against the noise ceiling)")) {
      return;
    }
    EvalCsv c = EvalCsv.read(ctx.csv(FIG2_HISTOGRAM), "subject", "model", "nc_from", "nc_to", "r2_from", "r2_to",
        "voxels");
    List<String> models = Context.order(c.distinct("model"), ctx.models());
    List<String> subjects = c.distinct("subject");
    Row row = new Row();
    List<List<String>> summary = new ArrayList<>();
    for (String m : models) {
      Map<String, double[]> bins = new LinkedHashMap<>();
      double total = 0;
      for (int i = 0; i < c.size(); i++) {
        if (!c.text(i, "model").equals(m)) {
          continue;
        }
        double[] b = {c.number(i, "nc_from"), c.number(i, "nc_to"), c.number(i, "r2_from"), c.number(i, "r2_to"),
            0};
        double v = c.number(i, "voxels");
        bins.computeIfAbsent(b[0] + "," + b[2], k -> b)[4] += Double.isFinite(v) ? v : 0;
        total += Double.isFinite(v) ? v : 0;
      }
      List<Charts.Bin> list = new ArrayList<>();
      for (double[] b : bins.values()) {
        list.add(new Charts.Bin(b[0], b[1], b[2], b[3], b[4]));
      }
      BufferedImage img = Charts.density("Test R\u00b2 vs noise ceiling: " + m + " (" + Html.number(total)
          + " voxels, " + subjects.size() + (subjects.size() == 1 ? " subject)" : " subjects)"),
          "noise ceiling (% of variance)", "test R\u00b2 (% of variance)", list, CEILING_FRACTION,
          "R\u00b2 = 85% of the noise ceiling", "voxels per bin (log scale)");
      row.image(ctx.png(img, "fig2_histogram_" + safe(m) + ".png", "Heat map: voxels binned by noise ceiling and"
          + " test R squared for model " + m, "Voxels of all subjects in 2% x 2% bins, colour on a log scale"
          + " (white: no voxel); the line: R\u00b2 = 0.85 x noise ceiling."));
    }
    for (String subject : subjects) {
      for (String m : models) {
        double total = 0;
        double above = 0;
        int bins = 0;
        for (int i = 0; i < c.size(); i++) {
          if (c.text(i, "subject").equals(subject) && c.text(i, "model").equals(m)) {
            double v = c.number(i, "voxels");
            if (Double.isFinite(v) && v > 0) {
              total += v;
              bins++;
              if (c.number(i, "r2_from") >= CEILING_FRACTION * c.number(i, "nc_to")) {
                above += v;
              }
            }
          }
        }
        summary.add(List.of(subject, m, Html.number(total), Integer.toString(bins), Html.number(above)));
      }
    }
    row.noteHtml("Source " + ctx.link(FIG2_HISTOGRAM) + " (every bin); per voxel: " + ctx.link(FIG2_VOXELS)
        + ". The last column counts the voxels of bins that lie wholly on or above the line (a lower bound).");
    row.table(Table.of("Voxels per subject and model (sums of the bins)", List.of("subject", "model", "voxels",
        "bins with voxels", "voxels in bins above the line"), summary));
    s.row(row);
  }

  static void fig2Significant(Context ctx, Section s) {
    s.subheading("Fig. 2d: the FDR mask, significant voxels per ROI");
    if (!present(ctx, s, FIG2_R2, "Fig. 2d (significant voxels per ROI)")) {
      return;
    }
    EvalCsv c = EvalCsv.read(ctx.csv(FIG2_R2), "subject", "roi", "model", "voxels", "significant");
    List<String> rois = c.distinct("roi");
    List<String> models = Context.order(c.distinct("model"), ctx.models());
    int subjects = c.distinct("subject").size();
    Grouped g = Grouped.of(c, "model", models, "roi", rois, "significant");
    Row row = new Row();
    if (g.anyFinite()) {
      BufferedImage img = Charts.bars("Voxels with significant test R\u00b2 (FDR) per ROI"
          + (subjects > 1 ? " (sum over " + subjects + " subjects)" : ""), "ROI", "significant voxels (count)", rois,
          models, g.sums(), null, false);
      row.image(ctx.png(img, "fig2_significant.png", "Grouped bars: number of voxels with significant test R"
          + " squared per ROI for each model", "Voxels whose test R\u00b2 passes the bootstrap test after"
          + " Benjamini-Hochberg FDR (fit's significant.npy), summed over subjects."));
    } else {
      s.missing("Fig. 2d is not drawn: " + FIG2_R2 + " holds no finite significant count.");
    }
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      double voxels = c.number(i, "voxels");
      double sig = c.number(i, "significant");
      rows.add(List.of(c.text(i, "subject"), c.text(i, "roi"), c.text(i, "model"), c.text(i, "voxels"),
          c.text(i, "significant"), voxels > 0 ? Html.number(100 * sig / voxels) : "NaN"));
    }
    row.noteHtml("Source " + ctx.link(FIG2_R2) + " (columns voxels and significant); the percentage is computed"
        + " here.");
    row.table(Table.of("Significant voxels per subject, ROI and model", List.of("subject", "roi", "model", "voxels",
        "significant", "% significant"), rows));
    s.row(row);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 3: CLIP-MSM vs Network Dissection
  // ---------------------------------------------------------------------------------------------------------------

  static Section fig3(Context ctx) {
    Section s = new Section("fig3", "Fig. 3: the voxel's label and its weights, CLIP-MSM vs Network Dissection");
    s.paragraphHtml("Cosine between the text embedding of the label a method gives a voxel and the voxel's weights"
        + " (first model, in CLIP's embedding space): CLIP-MSM's label is the voxel's argmax of the dissection,"
        + " Network Dissection's the concept of highest IoU.");
    if (!present(ctx, s, FIG3_TTEST, "Fig. 3 (cosine of the label with the weights)")) {
      return s;
    }
    EvalCsv c = EvalCsv.read(ctx.csv(FIG3_TTEST), "subject", "roi", "n", "mean_msm", "mean_netdissect",
        "mean_diff", "t", "df", "p");
    List<String> rois = c.distinct("roi");
    int subjects = c.distinct("subject").size();
    List<List<Double>> means = new ArrayList<>();
    List<List<Double>> sems = new ArrayList<>();
    for (String col : List.of("mean_msm", "mean_netdissect")) {
      Grouped g = Grouped.of(c, null, List.of(""), "roi", rois, col);
      means.add(g.means().get(0));
      sems.add(g.sems().get(0));
    }
    Row row = new Row();
    if (means.stream().flatMap(List::stream).anyMatch(java.util.Objects::nonNull)) {
      BufferedImage img = Charts.bars("Cosine of the voxel's label with its weights" + overSubjects(subjects),
          "ROI", "cosine similarity (unitless, -1 to 1)", rois, List.of("CLIP-MSM label",
              "Network Dissection label"), means, sems, false);
      row.image(ctx.png(img, "fig3_cosine.png", "Grouped bars: mean cosine of the voxel's label embedding with its"
          + " weights, CLIP-MSM against Network Dissection, per ROI", "Bars: each subject's mean cosine over the"
          + " ROI's voxels, averaged over subjects; whiskers: standard error across subjects. A method without"
          + " values (e.g. no netdissect/ for a subject) has no bars."));
    } else {
      s.missing("Fig. 3 is not drawn: " + FIG3_TTEST + " holds no finite mean cosine.");
    }
    row.noteHtml("Paired t-test per subject and ROI across voxels, source " + ctx.link(FIG3_TTEST) + "; per voxel: "
        + ctx.link(FIG3_VOXELS) + "; p &lt; 0.05 in bold.");
    row.table(Table.of("Cosine, CLIP-MSM vs Network Dissection: paired t-test", c));
    s.row(row);
    return s;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 4: top labels and probe images
  // ---------------------------------------------------------------------------------------------------------------

  static Section fig4(Context ctx) {
    Section s = new Section("fig4", "Fig. 4: top labels per ROI and their probe images");
    s.subheading("Fig. 4a: how many voxels have each top label");
    if (present(ctx, s, FIG4_COUNTS, "Fig. 4a (top-label counts per ROI)")) {
      EvalCsv c = EvalCsv.read(ctx.csv(FIG4_COUNTS), "subject", "set", "label", "name", "voxels", "fraction");
      List<String> sets = c.distinct("set");
      List<String> names = Context.order(c.distinct("name"), ctx.labels());
      int subjects = c.distinct("subject").size();
      Grouped g = Grouped.of(c, "name", names, "set", sets, "voxels");
      List<List<Double>> sums = g.sums();
      List<String> series = new ArrayList<>(names);
      if (names.size() > MAX_STACKED) {
        // A long label set: the labels with most voxels, the rest as one stack.
        List<Integer> byTotal = new ArrayList<>();
        double[] total = new double[names.size()];
        for (int n = 0; n < names.size(); n++) {
          byTotal.add(n);
          for (Double v : sums.get(n)) {
            total[n] += v == null || !Double.isFinite(v) ? 0 : v;
          }
        }
        byTotal.sort((a, b) -> Double.compare(total[b], total[a]));
        Set<Integer> kept = new java.util.TreeSet<>(byTotal.subList(0, MAX_STACKED - 1));
        List<List<Double>> lumped = new ArrayList<>();
        series.clear();
        List<Double> other = new ArrayList<>();
        for (int k = 0; k < sets.size(); k++) {
          other.add(0.0);
        }
        for (int n = 0; n < names.size(); n++) {
          if (kept.contains(n)) {
            series.add(names.get(n));
            lumped.add(sums.get(n));
          } else {
            for (int k = 0; k < sets.size(); k++) {
              Double v = sums.get(n).get(k);
              other.set(k, other.get(k) + (v == null || !Double.isFinite(v) ? 0 : v));
            }
          }
        }
        series.add("other " + (names.size() - kept.size()) + " labels");
        lumped.add(other);
        sums = lumped;
      }
      double[] totals = new double[sets.size()];
      for (List<Double> one : sums) {
        for (int k = 0; k < sets.size(); k++) {
          totals[k] += one.get(k) == null || !Double.isFinite(one.get(k)) ? 0 : one.get(k);
        }
      }
      List<List<Double>> percent = new ArrayList<>();
      for (List<Double> one : sums) {
        List<Double> p = new ArrayList<>();
        for (int k = 0; k < sets.size(); k++) {
          Double v = one.get(k);
          p.add(v == null || totals[k] == 0 ? null : 100 * v / totals[k]);
        }
        percent.add(p);
      }
      Row row = new Row();
      if (g.anyFinite()) {
        BufferedImage img = Charts.bars("Top label of each voxel per voxel set"
            + (subjects > 1 ? " (" + subjects + " subjects pooled)" : ""), "voxel set (ROI)",
            "voxels with this top label (% of the set)", sets, series, percent, null, true);
        row.image(ctx.png(img, "fig4_counts.png", "Stacked bars: share of each top label among the voxels of each"
            + " voxel set", "Each bar: the voxels of a set (dissect's voxel sets: one per ROI and their union),"
            + " split by the label of highest score (CLIP-MSM's argmax), pooled over subjects."));
      } else {
        s.missing("Fig. 4a is not drawn: " + FIG4_COUNTS + " holds no voxel counts.");
      }
      row.noteHtml("Source " + ctx.link(FIG4_COUNTS) + " (dissect's top_label_counts.csv).");
      row.table(Table.of("Top-label counts per subject and set", c));
      s.row(row);
    }
    s.subheading("Fig. 4b: top-3 probe images of each label");
    if (present(ctx, s, FIG4_PROBES, "Fig. 4b (the top probe images)")) {
      EvalCsv c = EvalCsv.read(ctx.csv(FIG4_PROBES), "subject", "set", "label", "name", "voxels", "rank", "image",
          "mean_activation");
      Map<String, List<String>> rows = new LinkedHashMap<>();
      Map<String, Map<Integer, String[]>> ranks = new LinkedHashMap<>();
      for (int i = 0; i < c.size(); i++) {
        String key = c.text(i, "subject") + "\u0000" + c.text(i, "set") + "\u0000" + c.text(i, "label");
        rows.putIfAbsent(key, List.of(c.text(i, "subject"), c.text(i, "set"), c.text(i, "name"),
            c.text(i, "voxels")));
        double rank = c.number(i, "rank");
        if (rank >= 1 && rank <= 3 && rank == Math.rint(rank)) {
          ranks.computeIfAbsent(key, k -> new TreeMap<>()).put((int) rank,
              new String[] {c.text(i, "image"), c.text(i, "mean_activation")});
        }
      }
      List<List<String>> table = new ArrayList<>();
      for (var e : rows.entrySet()) {
        List<String> r = new ArrayList<>(e.getValue());
        Map<Integer, String[]> byRank = ranks.getOrDefault(e.getKey(), Map.of());
        for (int k = 1; k <= 3; k++) {
          String[] v = byRank.get(k);
          r.add(v == null ? "" : v[0]);
          r.add(v == null ? "" : v[1]);
        }
        table.add(r);
      }
      Row row = new Row();
      row.noteHtml("Source " + ctx.link(FIG4_PROBES) + " (dissect's probe_images.csv; every rank it holds). Image:"
          + " as dissect wrote it, the image's row in the subject's responses (prepared/image_keys.csv names it)."
          + " Thumbnails are not drawn: the run does not hold the stimuli.");
      row.table(Table.of("Top-3 probe images per subject, set and label", List.of("subject", "set", "label",
          "voxels", "#1 image", "#1 mean activation", "#2 image", "#2 mean activation", "#3 image",
          "#3 mean activation"), table));
      s.row(row);
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 5: brain maps
  // ---------------------------------------------------------------------------------------------------------------

  static Section fig5(Context ctx) {
    Section s = new Section("fig5", "Fig. 5: CLIP-MSM maps beside their fLoc ground truth");
    s.paragraphHtml("Each label's CLIP-MSM weight per voxel and its fLoc ground truth, each scaled to [0, 1] over the"
        + " subject's voxels (docs/evaluation.md §2), in the subject's space.");
    Path maps = ctx.evaluation().resolve(MAPS);
    if (!Files.isDirectory(maps)) {
      s.missing("Fig. 5 (brain maps) is not drawn: " + ReportSettings.EVALUATION + "/" + MAPS + "/ is missing.");
      return s;
    }
    List<Path> subjects = list(maps).stream().filter(Files::isDirectory).toList();
    int drawn = 0;
    for (Path subjectDir : subjects) {
      String subject = subjectDir.getFileName().toString();
      Map<String, Path[]> byLabel = new TreeMap<>();
      for (Path f : list(subjectDir)) {
        String name = f.getFileName().toString();
        for (String ext : List.of(".dscalar.nii", ".nii.gz", ".nii")) {
          for (int kind = 0; kind < 2; kind++) {
            String suffix = (kind == 0 ? "_msm" : "_floc") + ext;
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
              byLabel.computeIfAbsent(name.substring(0, name.length() - suffix.length()), k -> new Path[2])[kind] = f;
            }
          }
        }
      }
      if (byLabel.isEmpty()) {
        continue;
      }
      s.subheading("Subject " + subject);
      Row row = new Row().gallery();
      List<List<String>> table = new ArrayList<>();
      for (String label : Context.order(List.copyOf(byLabel.keySet()), ctx.labels())) {
        Path[] files = byLabel.get(label);
        List<String> names = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        if (files[0] != null) {
          names.add("CLIP-MSM: " + label);
          paths.add(files[0]);
        }
        if (files[1] != null) {
          names.add("fLoc ground truth");
          paths.add(files[1]);
        }
        String file = "fig5_" + safe(subject) + "_" + safe(label) + ".png";
        String title = subject + ", " + label + ": CLIP-MSM map" + (files[1] != null ? " (top) and fLoc ground truth"
            + " (bottom)" : " (no fLoc ground truth)");
        boolean cifti = paths.get(0).getFileName().toString().endsWith(".dscalar.nii");
        String caption;
        BufferedImage img;
        List<String> counts = new ArrayList<>();
        if (cifti) {
          List<GrayordinateStrips.Map> rows = new ArrayList<>();
          for (Path p : paths) {
            rows.add(GrayordinateStrips.Map.read(p));
          }
          if (rows.stream().anyMatch(r -> r.values().length != rows.get(0).values().length)) {
            s.missing("Fig. 5 for " + subject + ", " + label + " is not drawn: its maps have different numbers of"
                + " grayordinates.");
            continue;
          }
          img = GrayordinateStrips.render(title, names, rows);
          for (GrayordinateStrips.Map r : rows) {
            counts.add(Long.toString(finite(r.values())));
          }
          caption = "CIFTI maps: values per grayordinate in file order (no slices: the cortex is a surface).";
        } else {
          List<SliceMontage.Volume> rows = new ArrayList<>();
          for (Path p : paths) {
            rows.add(SliceMontage.Volume.read(p));
          }
          if (rows.stream().anyMatch(r -> !r.sameGrid(rows.get(0)))) {
            s.missing("Fig. 5 for " + subject + ", " + label + " is not drawn: its maps lie on different grids.");
            continue;
          }
          SliceMontage.Volume mask = mask(ctx.run().resolve(subject), rows.get(0));
          img = SliceMontage.render(title, names, rows, mask, ctx.slices()).image();
          for (SliceMontage.Volume r : rows) {
            counts.add(Long.toString(finite(r.data())));
          }
          // The montage's own footnote says what its colours and axes are.
          caption = "";
        }
        row.image(ctx.png(img, file, "Brain map of " + label + " for " + subject + ": CLIP-MSM"
            + (files[1] != null ? " beside the fLoc ground truth" : ""), caption));
        table.add(List.of(label, counts.get(0), files[1] != null ? counts.get(counts.size() - 1) : "",
            relative(ctx, files[0]), files[1] != null ? relative(ctx, files[1]) : ""));
        drawn++;
      }
      row.table(Table.of("Maps of " + subject + " (voxels with a value; files under " + ReportSettings.EVALUATION
          + "/" + MAPS + ")", List.of("label", "CLIP-MSM voxels", "fLoc voxels", "CLIP-MSM file", "fLoc file"),
          table));
      s.row(row);
    }
    if (drawn == 0) {
      s.missing("Fig. 5 (brain maps) is not drawn: " + ReportSettings.EVALUATION + "/" + MAPS + "/ holds no"
          + " <label>_msm and <label>_floc maps.");
    }
    return s;
  }

  private static String relative(Context ctx, Path file) {
    return ctx.evaluation().relativize(file).toString().replace('\\', '/');
  }

  private static long finite(double[] v) {
    long n = 0;
    for (double d : v) {
      n += Double.isNaN(d) ? 0 : 1;
    }
    return n;
  }

  /** The subject's space file as a brain mask, when it is a NIfTI volume on the maps' grid. */
  private static SliceMontage.Volume mask(Path subjectDir, SliceMontage.Volume like) {
    for (String name : List.of("space.nii.gz", "space.nii")) {
      Path p = subjectDir.resolve(name);
      if (Files.isRegularFile(p)) {
        try {
          SliceMontage.Volume m = SliceMontage.Volume.read(p);
          return m.sameGrid(like) ? m : null;
        } catch (InvalidInputException e) {
          return null; // an underlay only: the maps are drawn without it
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fig. 6: correlation with the ground truth
  // ---------------------------------------------------------------------------------------------------------------

  static Section fig6(Context ctx) {
    Section s = new Section("fig6", "Fig. 6: correlation with the ground truth, CLIP-MSM vs CLIP-Dissect one-hot");
    s.paragraphHtml("Per label, Pearson r across the subject's voxels between the label's CLIP-MSM weight and its"
        + " fLoc ground truth, and the same for CLIP-Dissect's one-hot map (1 where the label is the voxel's"
        + " argmax); paired t-test across subjects.");
    boolean perSubject = present(ctx, s, FIG6_R, "Fig. 6 (Pearson r per label and subject)");
    EvalCsv ttest = null;
    Map<String, Double> p = new LinkedHashMap<>();
    if (Files.isRegularFile(ctx.csv(FIG6_TTEST))) {
      ttest = EvalCsv.read(ctx.csv(FIG6_TTEST), "label", "subjects", "mean_r_msm", "mean_r_onehot", "mean_diff", "t",
          "df", "p");
      for (int i = 0; i < ttest.size(); i++) {
        p.put(ttest.text(i, "label"), ttest.number(i, "p"));
      }
    } else {
      s.missing("The paired t-tests of Fig. 6 are not shown: " + ReportSettings.EVALUATION + "/" + FIG6_TTEST
          + " is missing.");
    }
    Row row = new Row();
    Row perSubjectRow = new Row();
    if (perSubject) {
      EvalCsv c = EvalCsv.read(ctx.csv(FIG6_R), "subject", "label", "map", "voxels", "r_msm", "r_onehot");
      List<String> labels = Context.order(c.distinct("label"), ctx.labels());
      List<String> subjects = c.distinct("subject");
      List<List<Double>> means = new ArrayList<>();
      List<List<Double>> sems = new ArrayList<>();
      for (String col : List.of("r_msm", "r_onehot")) {
        Grouped g = Grouped.of(c, null, List.of(""), "label", labels, col);
        means.add(g.means().get(0));
        sems.add(g.sems().get(0));
      }
      List<String> methods = List.of("CLIP-MSM", "CLIP-Dissect one-hot");
      if (Grouped.of(c, null, List.of(""), "label", labels, "r_msm").anyFinite()
          || Grouped.of(c, null, List.of(""), "label", labels, "r_onehot").anyFinite()) {
        BufferedImage img = Charts.bars("Pearson r with the fLoc ground truth per label"
            + overSubjects(subjects.size()), "label", "Pearson r across voxels (unitless)", labels, methods, means,
            sems, false);
        row.image(ctx.png(img, "fig6_r.png", "Grouped bars: mean Pearson r with the ground truth per label,"
            + " CLIP-MSM against the CLIP-Dissect one-hot map", "Bars: mean over subjects; whiskers: standard error"
            + " across subjects. Each subject in the next figure and the table; the paired t-test across subjects"
            + " in the table."));
        perSubjectRow.image(ctx.png(perSubjectPanels(c, labels, subjects, methods, p), "fig6_subjects.png",
            "Bars per subject: Pearson r with the ground truth for each label, CLIP-MSM against the one-hot map", "One"
            + " panel per label (same y axis): r of each subject, CLIP-MSM beside CLIP-Dissect's one-hot map; p of"
            + " the paired t-test across subjects in the panel's title."));
      } else {
        s.missing("Fig. 6 is not drawn: " + FIG6_R + " holds no finite r.");
      }
    }
    if (ttest != null) {
      row.noteHtml("Paired t-test across subjects per label, source " + ctx.link(FIG6_TTEST)
          + "; p &lt; 0.05 in bold.");
      row.table(Table.of("Pearson r, CLIP-MSM vs one-hot: paired t-test across subjects", ttest));
    }
    if (perSubject) {
      perSubjectRow.noteHtml("Source " + ctx.link(FIG6_R) + ".");
      perSubjectRow.table(Table.of("Pearson r per subject and label", EvalCsv.read(ctx.csv(FIG6_R))));
    }
    for (Row r : List.of(row, perSubjectRow)) {
      if (!r.images.isEmpty() || !r.tables.isEmpty()) {
        s.row(r);
      }
    }
    return s;
  }

  /** Panels of bars, one per label: x = subject, CLIP-MSM beside one-hot. */
  private static BufferedImage perSubjectPanels(EvalCsv c, List<String> labels, List<String> subjects,
      List<String> methods, Map<String, Double> p) {
    int cols = Math.min(3, labels.size());
    int rowsN = (labels.size() + cols - 1) / cols;
    int w = Charts.WIDTH / 2 + 20;
    int h = 340;
    BufferedImage out = new BufferedImage(cols * w, rowsN * h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = Charts.graphics(out);
    // One y axis for all panels, so that they compare.
    double min = 0;
    double max = 0;
    for (int i = 0; i < c.size(); i++) {
      for (String col : List.of("r_msm", "r_onehot")) {
        double x = c.number(i, col);
        if (Double.isFinite(x)) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      }
    }
    double[] range = {min, max > min ? max : min + 1};
    for (int l = 0; l < labels.size(); l++) {
      List<List<Double>> values = new ArrayList<>();
      for (String col : List.of("r_msm", "r_onehot")) {
        List<Double> v = new ArrayList<>();
        for (String subject : subjects) {
          Double x = null;
          for (int i = 0; i < c.size(); i++) {
            if (c.text(i, "subject").equals(subject) && c.text(i, "label").equals(labels.get(l))) {
              x = c.number(i, col);
            }
          }
          v.add(x);
        }
        values.add(v);
      }
      Double pl = p.get(labels.get(l));
      BufferedImage panel = Charts.bars(labels.get(l) + (pl == null ? "" : " (paired t-test p = " + Html.number(pl)
          + ")"), "subject", "Pearson r (unitless)", subjects, methods, values, null, false, w, h, range);
      g.drawImage(panel, (l % cols) * w, (l / cols) * h, null);
    }
    g.dispose();
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Parameters
  // ---------------------------------------------------------------------------------------------------------------

  static Section parameters(Context ctx) {
    Section s = new Section("parameters", "The run's parameters");
    Row row = new Row();
    if (present(ctx, s, PARAMETERS, "The table of evaluate's parameters")) {
      row.noteHtml("Source " + ctx.link(PARAMETERS) + ": what evaluate read.");
      row.table(Table.of("Parameters of evaluate", EvalCsv.read(ctx.csv(PARAMETERS), "name", "value")));
    }
    List<List<String>> lists = new ArrayList<>();
    if (!ctx.models().isEmpty()) {
      lists.add(List.of("models.txt", String.join(", ", ctx.models())));
    }
    if (!ctx.labels().isEmpty()) {
      lists.add(List.of("labels.txt", String.join(", ", ctx.labels())));
    }
    if (!lists.isEmpty()) {
      row.table(Table.of("The run's feature models and label set", List.of("file", "lines"), lists));
    }
    if (!row.tables.isEmpty()) {
      s.row(row);
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------------------------

  private static String overSubjects(int n) {
    return n > 1 ? " (mean over " + n + " subjects)" : "";
  }

  /** A name as a file name: letters, digits, '.', '_' and '-' kept, anything else '_'. */
  static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * A column's values by series and category, one per subject: their means, standard errors (sd / sqrt(n), sd with
   * n - 1; null below 2 values) and sums. NaN values are left out.
   */
  record Grouped(List<List<List<Double>>> values) {
    static Grouped of(EvalCsv c, String seriesColumn, List<String> series, String categoryColumn,
        List<String> categories, String valueColumn) {
      List<List<List<Double>>> v = new ArrayList<>();
      for (int s = 0; s < series.size(); s++) {
        List<List<Double>> row = new ArrayList<>();
        for (int k = 0; k < categories.size(); k++) {
          row.add(new ArrayList<>());
        }
        v.add(row);
      }
      for (int i = 0; i < c.size(); i++) {
        int s = seriesColumn == null ? 0 : series.indexOf(c.text(i, seriesColumn));
        int k = categories.indexOf(c.text(i, categoryColumn));
        double x = c.number(i, valueColumn);
        if (s >= 0 && k >= 0 && Double.isFinite(x)) {
          v.get(s).get(k).add(x);
        }
      }
      return new Grouped(v);
    }

    boolean anyFinite() {
      return values.stream().flatMap(List::stream).anyMatch(l -> !l.isEmpty());
    }

    List<List<Double>> means() {
      return map(l -> l.isEmpty() ? null : l.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
    }

    List<List<Double>> sums() {
      return map(l -> l.isEmpty() ? null : l.stream().mapToDouble(Double::doubleValue).sum());
    }

    List<List<Double>> sems() {
      return map(l -> {
        int n = l.size();
        if (n < 2) {
          return null;
        }
        double mean = l.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double ss = 0;
        for (double x : l) {
          ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
      });
    }

    private List<List<Double>> map(java.util.function.Function<List<Double>, Double> f) {
      List<List<Double>> out = new ArrayList<>();
      for (List<List<Double>> series : values) {
        List<Double> row = new ArrayList<>();
        for (List<Double> l : series) {
          row.add(f.apply(l));
        }
        out.add(row);
      }
      return out;
    }
  }
}
