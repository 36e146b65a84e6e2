package org.clipmsm.pipelines.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;
import org.clipmsm.evaluation.GroundTruth;
import org.clipmsm.io.BrainMaps;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.DissectPipeline;
import org.clipmsm.pipelines.FitPipeline;
import org.clipmsm.pipelines.PreparedVoxels;
import org.clipmsm.pipelines.VoxelSetsCsv;

/**
 * One subject of a run (docs/evaluation.md §1), read and checked: prepare's outputs and ROIs, each model's fit, the
 * learning curve, the dissection, Network Dissection's labels, the food images, the subject's space and the ground
 * truth of each label. A voxel is a column of {@code prepared/responses.npy} (a row of {@code voxels.csv}).
 */
final class SubjectInputs {
  /** The columns of voxels.csv that are not ROIs (NSD: column, voxel, i, j, k; NOD: also grayordinate, ...). */
  static final Set<String> FIXED_COLUMNS = PreparedVoxels.FIXED_COLUMNS;
  /** A file of the subject's space, the first that exists. */
  static final List<String> SPACE_FILES = List.of("space.nii.gz", "space.nii", "space.dscalar.nii",
      "space.dlabel.nii");
  static final String FOOD_IMAGES = "food_images.csv";
  static final List<String> COUNTS_HEADER = List.of("set", "label", "name", "voxels", "fraction");
  static final List<String> PROBES_HEADER = List.of("set", "label", "name", "voxels", "rank", "image",
      "mean_activation");
  static final int MAX_TRAIN_PIECES = EvaluateSettings.LEARNING_PIECES - EvaluateSettings.LEARNING_TEST_PIECES;

  /** A model's fit: R^2 per voxel, and where fit wrote them, significance and noise ceiling (else null). */
  record Fit(Path dir, double[] r2, boolean[] significant, double[] noiseCeiling) {}

  /**
   * The dissection of the whole region (Figs. 3, 5, 6): its directory, its voxels (rows of msm.npy), msm and each
   * voxel's argmax label.
   */
  record Dissection(Path dir, int[] voxels, Matrix msm, int[] argmax) {}

  /** Network Dissection's label of one voxel (label null where it gave none). */
  record NetDissectLabel(String label, String category, double iou) {}

  /** A label's ground truth over the subject's voxels, and what it came from (an fLoc map's name, or food_images). */
  record Truth(String map, double[] values) {}

  final String name;
  final Path dir;
  final Path responses;
  final int images;
  final int voxels;
  final List<String> rois;
  /** Each ROI's voxels, increasing, in the order of {@link #rois}. */
  final List<int[]> roiVoxels;
  /** Each voxel's ROIs, ';'-joined. */
  final String[] roisOfVoxel;
  /** The subject's space file, or null. */
  final Path space;
  /** Each voxel's index in the space (NIfTI linear index or grayordinate), or null without a space. */
  final int[] spaceIndex;
  final Map<String, Fit> fits;
  /** Per model, the learning curve's R^2 per training size (pieces). */
  final Map<String, SortedMap<Integer, double[]>> learning;
  final Dissection dissection;
  /** dissect's top_label_counts.csv and probe_images.csv (Fig. 4), or null. */
  final Csv.Table counts;
  final Csv.Table probes;
  /** Network Dissection's label per voxel, or null without netdissect/. */
  final Map<Integer, NetDissectLabel> netdissect;
  /** The first model's weights (features x voxels), header checked, or null. */
  final Path weights;
  final Map<String, Truth> truths;
  final List<String> notes;

  private SubjectInputs(Builder b) {
    this.name = b.name;
    this.dir = b.dir;
    this.responses = b.responses;
    this.images = b.images;
    this.voxels = b.voxels;
    this.rois = List.copyOf(b.rois);
    this.roiVoxels = List.copyOf(b.roiVoxels);
    this.roisOfVoxel = b.roisOfVoxel;
    this.space = b.space;
    this.spaceIndex = b.spaceIndex;
    this.fits = Collections.unmodifiableMap(b.fits);
    this.learning = Collections.unmodifiableMap(b.learning);
    this.dissection = b.dissection;
    this.counts = b.counts;
    this.probes = b.probes;
    this.netdissect = b.netdissect;
    this.weights = b.weights;
    this.truths = Collections.unmodifiableMap(b.truths);
    this.notes = List.copyOf(b.notes);
  }

  private static final class Builder {
    String name;
    Path dir;
    Path responses;
    int images;
    int voxels;
    List<String> rois = new ArrayList<>();
    List<int[]> roiVoxels = new ArrayList<>();
    String[] roisOfVoxel;
    Path space;
    int[] spaceIndex;
    Map<String, Fit> fits = new LinkedHashMap<>();
    Map<String, SortedMap<Integer, double[]>> learning = new LinkedHashMap<>();
    Dissection dissection;
    Csv.Table counts;
    Csv.Table probes;
    Map<Integer, NetDissectLabel> netdissect;
    Path weights;
    Map<String, Truth> truths = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
  }

  static SubjectInputs read(Path dir, List<String> models, Path labelsFile, List<String> labels, Path textFile,
      Matrix text, Path conceptsFile, List<String> concepts, Set<Path> read) {
    Builder b = new Builder();
    b.name = dir.getFileName().toString();
    b.dir = dir;
    Path prepared = dir.resolve("prepared");
    if (!Files.isDirectory(prepared)) {
      throw new InvalidInputException(prepared + ": no such directory (expected prepare's outputs: responses.npy,"
          + " image_keys.csv, voxels.csv, ...)");
    }
    Path voxelsCsv = requireFile(prepared.resolve("voxels.csv"), "prepare's voxels.csv: one row per voxel");
    Csv.Table table = Csv.read(voxelsCsv);
    read.add(voxelsCsv);
    b.voxels = table.size();
    if (b.voxels == 0) {
      throw new InvalidInputException(voxelsCsv + ": no voxels (expected one row per voxel after the header)");
    }
    rois(table, b);
    b.responses = requireFile(prepared.resolve("responses.npy"), "prepare's responses, images x voxels");
    NpyHeader rh = RunInputs.matrixHeader(b.responses, "images x voxels");
    read.add(b.responses);
    if (rh.cols() != b.voxels) {
      throw new InvalidInputException(b.responses + ": " + rh.cols() + " columns (voxels), but " + voxelsCsv
          + " lists " + b.voxels + " (expected one row of voxels.csv per column)");
    }
    b.images = rh.rows();

    Path fitDir = dir.resolve("fit");
    for (String model : models) {
      b.fits.put(model, fit(fitDir.resolve(model), model, b.voxels, voxelsCsv, read));
    }
    learning(dir.resolve("learning"), models, b, voxelsCsv, read);
    dissection(dir.resolve("dissect"), labelsFile, labels, b, voxelsCsv, read);
    weights(fitDir.resolve(models.get(0)), textFile, text, b, read);
    netdissect(dir.resolve("netdissect"), conceptsFile, concepts, b, read);
    space(dir, table, b, voxelsCsv, read);
    truths(prepared, dir.resolve(FOOD_IMAGES), labels, b, read);
    return new SubjectInputs(b);
  }

  private static Path requireFile(Path f, String expected) {
    if (!Files.isRegularFile(f)) {
      throw new InvalidInputException(f + ": " + (Files.exists(f) ? "not a file" : "no such file") + " (expected "
          + expected + ")");
    }
    return f;
  }

  /** A per-voxel vector: one value per voxel of voxels.csv. */
  private static double[] perVoxel(Path f, int voxels, Path voxelsCsv, Set<Path> read) {
    double[] v = Npy.readVector(f);
    read.add(f);
    if (v.length != voxels) {
      throw new InvalidInputException(f + ": " + v.length + " values, but " + voxelsCsv + " lists " + voxels
          + " voxels (expected one per voxel)");
    }
    return v;
  }

  /** The ROI columns of voxels.csv: every column but the fixed ones; a voxel is inside where its value is > 0. */
  private static void rois(Csv.Table t, Builder b) {
    int columnCol = t.header().indexOf("column");
    List<Integer> roiCols = new ArrayList<>();
    for (int c = 0; c < t.header().size(); c++) {
      String h = t.header().get(c);
      if (FIXED_COLUMNS.contains(h)) {
        continue;
      }
      if (h.isEmpty() || h.equals(EvaluationTables.ALL) || h.contains(";")) {
        throw new InvalidInputException(t.file() + ": ROI column '" + h + "' (expected a name other than '"
            + EvaluationTables.ALL + "', without ';')");
      }
      roiCols.add(c);
      b.rois.add(h);
    }
    List<List<String>> of = new ArrayList<>();
    for (int v = 0; v < b.voxels; v++) {
      of.add(new ArrayList<>());
      if (columnCol >= 0 && t.getLong(v, columnCol) != v) {
        throw new InvalidInputException(t.file() + ": line " + t.line(v) + ": column " + t.get(v, columnCol)
            + " (expected the rows in column order: " + v + ")");
      }
    }
    for (int r = 0; r < roiCols.size(); r++) {
      int c = roiCols.get(r);
      List<Integer> inside = new ArrayList<>();
      for (int v = 0; v < b.voxels; v++) {
        String s = t.get(v, c);
        double x;
        try {
          x = s.isEmpty() ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(t.file() + ": line " + t.line(v) + ": expected a number in column "
              + t.header().get(c) + " (the ROI's label code, > 0 inside), got '" + s + "'");
        }
        if (x > 0) {
          inside.add(v);
          of.get(v).add(b.rois.get(r));
        }
      }
      b.roiVoxels.add(inside.stream().mapToInt(Integer::intValue).toArray());
    }
    b.roisOfVoxel = of.stream().map(l -> String.join(";", l)).toArray(String[]::new);
  }

  private static Fit fit(Path dir, String model, int voxels, Path voxelsCsv, Set<Path> read) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(dir + ": no such directory (" + RunInputs.MODELS + " lists '" + model
          + "'; expected fit's outputs: r2.npy, ...)");
    }
    double[] r2 = perVoxel(requireFile(dir.resolve(FitPipeline.R2), "fit's test R^2 per voxel"), voxels, voxelsCsv,
        read);
    boolean[] significant = null;
    Path sig = dir.resolve(FitPipeline.SIGNIFICANT);
    if (Files.isRegularFile(sig)) {
      significant = Npy.readBoolVector(sig);
      read.add(sig);
      if (significant.length != voxels) {
        throw new InvalidInputException(sig + ": " + significant.length + " values, but " + voxelsCsv + " lists "
            + voxels + " voxels (expected one per voxel)");
      }
    }
    double[] nc = null;
    Path ncFile = dir.resolve(FitPipeline.NOISE_CEILING);
    if (Files.isRegularFile(ncFile)) {
      nc = perVoxel(ncFile, voxels, voxelsCsv, read);
    }
    return new Fit(dir, r2, significant, nc);
  }

  /** learning/&lt;model&gt;/&lt;N&gt;/r2.npy for the models of models.txt; other directories are noted. */
  private static void learning(Path learning, List<String> models, Builder b, Path voxelsCsv, Set<Path> read) {
    if (!Files.isDirectory(learning)) {
      return;
    }
    for (Path m : list(learning).stream().filter(Files::isDirectory).toList()) {
      String model = m.getFileName().toString();
      if (!models.contains(model)) {
        b.notes.add("learning/" + model + ": not a model of " + RunInputs.MODELS + " (left out)");
        continue;
      }
      SortedMap<Integer, double[]> curve = new TreeMap<>();
      for (Path n : list(m).stream().filter(Files::isDirectory).toList()) {
        String s = n.getFileName().toString();
        int pieces;
        try {
          pieces = Integer.parseInt(s);
        } catch (NumberFormatException e) {
          pieces = -1;
        }
        if (pieces < 1 || pieces > MAX_TRAIN_PIECES || !s.equals(Integer.toString(pieces))) {
          throw new InvalidInputException(n + ": expected a directory named by the training size N (1.."
              + MAX_TRAIN_PIECES + " of " + EvaluateSettings.LEARNING_PIECES + " pieces) holding fit's outputs");
        }
        double[] r2 = perVoxel(requireFile(n.resolve(FitPipeline.R2), "fit's test R^2 per voxel"), b.voxels,
            voxelsCsv, read);
        curve.put(pieces, r2);
      }
      if (!curve.isEmpty()) {
        b.learning.put(model, curve);
      }
    }
  }

  /**
   * dissect/: the whole region's dissection (msm.npy there, else union/, else its only set) and the counts and
   * probe images of Fig. 4.
   */
  private static void dissection(Path dissect, Path labelsFile, List<String> labels, Builder b, Path voxelsCsv,
      Set<Path> read) {
    if (!Files.isDirectory(dissect)) {
      return;
    }
    Path counts = dissect.resolve(DissectPipeline.COUNTS);
    Path probes = dissect.resolve(DissectPipeline.PROBES);
    if (Files.isRegularFile(counts) && Files.isRegularFile(probes)) {
      b.counts = table(counts, COUNTS_HEADER, read);
      b.probes = table(probes, PROBES_HEADER, read);
    } else {
      b.notes.add("dissect/: no " + DissectPipeline.COUNTS + " or " + DissectPipeline.PROBES + " (Fig. 4 left out)");
    }
    Path set;
    boolean all;
    if (Files.isRegularFile(dissect.resolve("msm.npy"))) {
      set = dissect;
      all = true;
    } else if (Files.isRegularFile(dissect.resolve(VoxelSetsCsv.UNION).resolve("msm.npy"))) {
      set = dissect.resolve(VoxelSetsCsv.UNION);
      all = false;
    } else {
      List<Path> sets = list(dissect).stream().filter(p -> Files.isRegularFile(p.resolve("msm.npy"))).toList();
      if (sets.size() != 1) {
        throw new InvalidInputException(dissect + ": no msm.npy, no " + VoxelSetsCsv.UNION + "/msm.npy"
            + (sets.isEmpty() ? "" : " and " + sets.size() + " voxel sets") + " (expected dissect's outputs for"
            + " all voxels, or for voxel sets and their union)");
      }
      set = sets.get(0);
      all = false;
    }
    Path msmFile = set.resolve("msm.npy");
    NpyHeader h = RunInputs.matrixHeader(msmFile, "voxels x labels");
    if (labels != null && h.cols() != labels.size()) {
      throw new InvalidInputException(msmFile + ": " + h.cols() + " columns (labels), but " + labelsFile + " has "
          + labels.size() + " labels (expected the label set the dissection used)");
    }
    Matrix msm = new Matrix(h.rows(), h.cols(), Npy.readMatrix(msmFile));
    read.add(msmFile);
    int[] voxels;
    if (all) {
      if (h.rows() != b.voxels) {
        throw new InvalidInputException(msmFile + ": " + h.rows() + " rows, but " + voxelsCsv + " lists " + b.voxels
            + " voxels (expected a dissection of all voxels, or voxel sets)");
      }
      voxels = new int[b.voxels];
      Arrays.setAll(voxels, i -> i);
    } else {
      Path lpv = requireFile(set.resolve(DissectPipeline.LABELS_PER_VOXEL), "dissect's voxels of the set");
      Csv.Table t = Csv.read(lpv);
      read.add(lpv);
      int col = t.column("voxel");
      if (t.size() != h.rows()) {
        throw new InvalidInputException(lpv + ": " + t.size() + " voxels, but " + msmFile + " has " + h.rows()
            + " rows (expected one line per row)");
      }
      voxels = new int[t.size()];
      for (int i = 0; i < voxels.length; i++) {
        long v = t.getLong(i, col);
        if (v < 0 || v >= b.voxels || (i > 0 && v <= voxels[i - 1])) {
          throw new InvalidInputException(lpv + ": line " + t.line(i) + ": voxel " + v + " (expected increasing"
              + " voxels 0.." + (b.voxels - 1) + " of " + voxelsCsv + ")");
        }
        voxels[i] = (int) v;
      }
    }
    Path argmaxFile = requireFile(set.resolve("argmax.npy"), "dissect's label per voxel");
    long[] am = Npy.readLongVector(argmaxFile);
    read.add(argmaxFile);
    if (am.length != h.rows()) {
      throw new InvalidInputException(argmaxFile + ": " + am.length + " values, but " + msmFile + " has " + h.rows()
          + " rows (expected one label per voxel)");
    }
    int[] argmax = new int[am.length];
    for (int i = 0; i < am.length; i++) {
      if (am[i] < 0 || am[i] >= h.cols()) {
        throw new InvalidInputException(argmaxFile + ": label " + am[i] + " at row " + i + " (expected 0.."
            + (h.cols() - 1) + ", a column of msm.npy)");
      }
      argmax[i] = (int) am[i];
    }
    b.dissection = new Dissection(set, voxels, msm, argmax);
  }

  /** A CSV of dissect, whose header must be the one given. */
  private static Csv.Table table(Path f, List<String> header, Set<Path> read) {
    Csv.Table t = Csv.read(f);
    read.add(f);
    if (!t.header().equals(header)) {
      throw new InvalidInputException(f + ": header " + String.join(",", t.header()) + " (expected dissect's "
          + String.join(",", header) + ")");
    }
    for (int i = 0; i < t.size(); i++) {
      t.get(i, header.size() - 1); // every record whole
    }
    return t;
  }

  /** The first model's weights, which Fig. 3 compares with text embeddings: features x voxels, D = text's. */
  private static void weights(Path fit, Path textFile, Matrix text, Builder b, Set<Path> read) {
    Path w = fit.resolve(FitPipeline.WEIGHTS);
    if (!Files.isRegularFile(w)) {
      b.notes.add("fit/" + fit.getFileName() + "/" + FitPipeline.WEIGHTS + ": absent (Fig. 3 needs the dissected"
          + " model's weights)");
      return;
    }
    NpyHeader h = RunInputs.matrixHeader(w, "features x voxels");
    if (h.cols() != b.voxels) {
      throw new InvalidInputException(w + ": " + h.cols() + " columns (voxels), but " + b.responses + " has "
          + b.voxels + " (expected features x voxels)");
    }
    if (text != null && h.rows() != text.cols()) {
      throw new InvalidInputException(w + ": " + h.rows() + " rows (features), but " + textFile + " has "
          + text.cols() + " columns (expected the first model of " + RunInputs.MODELS + " in CLIP's embedding"
          + " space, the dissected one)");
    }
    read.add(w);
    b.weights = w;
  }

  /** netdissect/netdissect.csv: voxel, label, category, iou (and interpretable) of each voxel labelled. */
  private static void netdissect(Path nd, Path conceptsFile, List<String> concepts, Builder b, Set<Path> read) {
    if (!Files.isDirectory(nd)) {
      return;
    }
    Path csv = requireFile(nd.resolve("netdissect.csv"), "netdissect's labels: voxel, label, category, iou,"
        + " interpretable");
    Csv.Table t = Csv.read(csv);
    read.add(csv);
    int voxelCol = t.column("voxel");
    int labelCol = t.column("label");
    int categoryCol = t.column("category");
    int iouCol = t.column("iou");
    Set<String> known = concepts == null ? null : Set.copyOf(concepts);
    Map<Integer, NetDissectLabel> labels = new HashMap<>();
    for (int i = 0; i < t.size(); i++) {
      long v = t.getLong(i, voxelCol);
      if (v < 0 || v >= b.voxels) {
        throw new InvalidInputException(csv + ": line " + t.line(i) + ": voxel " + v + " (expected 0.."
            + (b.voxels - 1) + ", a column of the responses)");
      }
      String label = t.get(i, labelCol);
      if (known != null && !label.isEmpty() && !known.contains(label)) {
        throw new InvalidInputException(csv + ": line " + t.line(i) + ": label '" + label + "' is not in "
            + conceptsFile + " (expected one of Network Dissection's concepts)");
      }
      String iouText = t.get(i, iouCol);
      double iou;
      try {
        iou = iouText.isEmpty() ? Double.NaN : Double.parseDouble(iouText);
      } catch (NumberFormatException e) {
        throw new InvalidInputException(csv + ": line " + t.line(i) + ": expected a number in column iou, got '"
            + iouText + "'");
      }
      if (labels.put((int) v, new NetDissectLabel(label.isEmpty() ? null : label, t.get(i, categoryCol), iou))
          != null) {
        throw new InvalidInputException(csv + ": line " + t.line(i) + ": voxel " + v + " listed twice");
      }
    }
    Path iou = nd.resolve("iou.npy");
    if (Files.isRegularFile(iou) && concepts != null) {
      NpyHeader h = RunInputs.matrixHeader(iou, "voxels x concepts");
      if (h.cols() != concepts.size()) {
        throw new InvalidInputException(iou + ": " + h.cols() + " columns, but " + conceptsFile + " has "
            + concepts.size() + " concepts (expected the concepts Network Dissection used, in its order)");
      }
    }
    b.netdissect = labels;
  }

  /** The space file and each voxel's index in it (voxels.csv's voxel or grayordinate column). */
  private static void space(Path dir, Csv.Table t, Builder b, Path voxelsCsv, Set<Path> read) {
    for (String f : SPACE_FILES) {
      if (Files.isRegularFile(dir.resolve(f))) {
        b.space = dir.resolve(f);
        break;
      }
    }
    if (b.space == null) {
      b.notes.add("no space file (" + String.join(", ", SPACE_FILES) + "): Fig. 5's maps left out");
      return;
    }
    int size = BrainMaps.size(b.space);
    read.add(b.space);
    int col = t.column("voxel", "grayordinate");
    b.spaceIndex = new int[b.voxels];
    for (int v = 0; v < b.voxels; v++) {
      long x = t.getLong(v, col);
      if (x < 0 || x >= size) {
        throw new InvalidInputException(voxelsCsv + ": line " + t.line(v) + ": " + t.header().get(col) + " " + x
            + " is outside " + b.space + " (0.." + (size - 1) + ")");
      }
      b.spaceIndex[v] = (int) x;
    }
  }

  /** The ground truth of each label that has one (docs/evaluation.md §2). */
  private static void truths(Path prepared, Path foodFile, List<String> labels, Builder b, Set<Path> read) {
    if (labels == null) {
      return;
    }
    int[] foodRows = null;
    if (Files.isRegularFile(foodFile)) {
      Csv.Table t = Csv.read(foodFile);
      read.add(foodFile);
      int col = t.column("row");
      TreeSet<Integer> rows = new TreeSet<>();
      for (int i = 0; i < t.size(); i++) {
        long r = t.getLong(i, col);
        if (r < 0 || r >= b.images) {
          throw new InvalidInputException(foodFile + ": line " + t.line(i) + ": row " + r + " (expected 0.."
              + (b.images - 1) + ", a row of " + b.responses + ")");
        }
        rows.add((int) r);
      }
      if (rows.isEmpty()) {
        throw new InvalidInputException(foodFile + ": no rows (expected the rows of the responses whose image holds"
            + " food)");
      }
      foodRows = rows.stream().mapToInt(Integer::intValue).toArray();
    }
    for (String label : labels) {
      if (GroundTruth.isFood(label)) {
        if (foodRows == null) {
          b.notes.add("label '" + label + "': no " + FOOD_IMAGES + " (no ground truth)");
        } else {
          b.truths.put(label, new Truth("food_images", meanResponse(b.responses, foodRows, b.voxels)));
        }
        continue;
      }
      List<String> maps = GroundTruth.flocMaps(label);
      if (maps.isEmpty()) {
        continue;
      }
      boolean found = false;
      for (String m : maps) {
        Path f = prepared.resolve("floc_" + m + ".npy");
        if (Files.isRegularFile(f)) {
          b.truths.put(label, new Truth(m, perVoxel(f, b.voxels, prepared.resolve("voxels.csv"), read)));
          found = true;
          break;
        }
      }
      if (!found) {
        b.notes.add("label '" + label + "': none of prepared/floc_{" + String.join(",", maps) + "}.npy (no ground"
            + " truth)");
      }
    }
  }

  /** Each voxel's mean response over the given rows, reading the responses a block of columns at a time. */
  static double[] meanResponse(Path responses, int[] rows, int voxels) {
    NpyHeader h = Npy.readHeader(responses);
    int n = h.rows();
    int block = Math.max(1, Math.min(voxels, (int) Math.min(4096, (64L << 20) / 8 / Math.max(1, n))));
    double[] mean = new double[voxels];
    for (int first = 0; first < voxels; first += block) {
      int num = Math.min(block, voxels - first);
      double[] cols = Npy.readColumns(responses, first, num);
      for (int j = 0; j < num; j++) {
        double s = 0;
        for (int r : rows) {
          s += cols[r + n * j];
        }
        mean[first + j] = s / rows.length;
      }
    }
    return mean;
  }

  /** The entries of a directory in name order. */
  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
