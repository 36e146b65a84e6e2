package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ActivationSource;
import org.clipmsm.beam.DissectVoxelSets;
import org.clipmsm.beam.FindProbeImages;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.RawScoresFile;
import org.clipmsm.beam.ReadNpyMatrix;
import org.clipmsm.beam.ScoreBlock;
import org.clipmsm.beam.ScoreVoxels;
import org.clipmsm.beam.ToSemanticMaps;
import org.clipmsm.beam.TopLabelRows;
import org.clipmsm.beam.VoxelSet;
import org.clipmsm.dissect.LabelSet;
import org.clipmsm.dissect.SemanticMaps;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.output.AvroParts;
import org.clipmsm.schemas.SemanticMap;

/**
 * CLIP dissection of encoding-model voxels (docs/method.md §4). One pass over the activations scores every voxel
 * against every label; each voxel set (all voxels, or each set of the voxel-sets file and their union) then gets its
 * own log p(d) and outputs: scores.npy (voxels x labels, float64), msm.npy, argmax.npy (int32), semantic_map.avro and
 * labels_per_voxel.csv, rows in the set's voxel order. Then, per set, the count of voxels per top label
 * ({@code top_label_counts.csv}) and the top-3 probe images of the winning label ({@code probe_images.csv}: the
 * images with the highest mean activation over the set's voxels whose top label it is; the paper's Fig. 4), found in
 * the same pipeline ({@link FindProbeImages}).
 *
 * <pre>{@code
 * DissectPipeline.Summary s = DissectPipeline.run(options, DissectSettings.fromEmbeddings(Path.of("P.npy"),
 *     Path.of("embeddings.npy"), Path.of("fit/weights.npy"), Path.of("dissect")).withLabels(Path.of("labels.txt")),
 *     Progress.lines("my-study"));
 * }</pre>
 */
public final class DissectPipeline implements StagedPipeline<PCollection<KV<Integer, TopLabelRows>>,
    DissectPipeline.Summary> {
  public static final String SCORES = "scores.npy";
  public static final String MSM = "msm.npy";
  public static final String ARGMAX = "argmax.npy";
  public static final String MAPS = "semantic_map.avro";
  public static final String LABELS_PER_VOXEL = "labels_per_voxel.csv";
  public static final String COUNTS = "top_label_counts.csv";
  public static final String PROBES = "probe_images.csv";
  private static final String PARTS = "parts";
  private static final String LABEL_COUNTS = "label_counts.npy";
  private static final String PROBE_SUMS = "probe_sums.npy";
  /** Every voxel's raw scores (labels x voxels), the per-set steps' input; deleted when the run finishes. */
  private static final String RAW_SCORES = ".raw_scores.npy";

  private final DissectSettings settings;
  private final int images;
  private final int labelCount;
  private final long voxels;
  private final String activationsName;
  private final List<String> labels;
  private final List<VoxelSet> sets;
  private final boolean named;
  private final Progress progress;

  /** What the run produced, for a summary line. */
  public record Summary(int images, int labels, long voxels, List<String> sets, List<String> winners) {}

  private DissectPipeline(DissectSettings settings, int images, int labelCount, long voxels, String activationsName,
      List<String> labels, List<VoxelSet> sets, boolean named, Progress progress) {
    this.settings = settings;
    this.images = images;
    this.labelCount = labelCount;
    this.voxels = voxels;
    this.activationsName = activationsName;
    this.labels = labels;
    this.sets = sets;
    this.named = named;
    this.progress = progress;
  }

  /** Checks the inputs (shapes, finite embeddings, labels, voxel sets) before anything runs. */
  public static DissectPipeline of(DissectSettings s) {
    Path pFile = s.similarities();
    NpyHeader ph = Inputs.matrix(pFile, "images x labels");
    int images = ph.rows();
    int labelCount = ph.cols();
    long voxels;
    String activationsName;
    if (s.fromActivations()) {
      NpyHeader qh = Inputs.matrix(s.activations(), "images x voxels");
      Inputs.sameImages(s.activations(), qh.rows(), pFile, images);
      voxels = qh.cols();
      activationsName = s.activations().getFileName().toString();
    } else {
      Path i = s.embeddings();
      Path w = s.weights();
      NpyHeader ih = Npy.readHeader(i);
      NpyHeader wh = Inputs.matrix(w, "features x voxels");
      Inputs.sameImages(i, ih.rows(), pFile, images);
      if (wh.rows() != ih.cols()) {
        throw new InvalidInputException(w.getFileName() + ": " + wh.rows() + " rows (features), but "
            + i.getFileName() + " has " + ih.cols() + " features (expected features x voxels, as fit writes"
            + " weights.npy)");
      }
      new Matrix(ih.rows(), ih.cols(), Npy.readMatrix(i)).requireFinite(i.getFileName().toString(), "embeddings", 0);
      voxels = wh.cols();
      activationsName = "activations from " + i.getFileName() + " and " + w.getFileName();
    }
    if (voxels < 1 || labelCount < 1) {
      throw new InvalidInputException((voxels < 1 ? activationsName : pFile.getFileName().toString())
          + ": expected at least one column");
    }
    s.method().checkImages(images, pFile.getFileName().toString());
    List<String> labels = null;
    if (s.labels() != null) {
      labels = LabelSet.read(s.labels());
      if (labels.size() != labelCount) {
        throw new InvalidInputException(s.labels() + ": " + labels.size() + " labels, but " + pFile.getFileName()
            + " has " + labelCount + " columns (expected one label per column)");
      }
    }
    boolean named = s.voxelSets() != null;
    List<VoxelSet> sets = named ? VoxelSetsCsv.read(s.voxelSets(), voxels, activationsName)
        : List.of(VoxelSet.all(voxels));
    return new DissectPipeline(s, images, labelCount, voxels, activationsName, labels, sets, named, Progress.quiet());
  }

  /** Where the scoring reports progress. */
  public DissectPipeline withProgress(Progress p) {
    return new DissectPipeline(settings, images, labelCount, voxels, activationsName, labels, sets, named, p);
  }

  public static Summary run(PipelineOptions options, DissectSettings s, Progress progress) {
    return PipelineRuns.toDirectory(options, s.out(), of(s).withProgress(progress));
  }

  @Override
  public List<Path> inputs() {
    List<Path> in = new ArrayList<>();
    for (Path p : new Path[] {settings.similarities(), settings.activations(), settings.embeddings(),
        settings.weights(), settings.labels(), settings.voxelSets()}) {
      if (p != null) {
        in.add(p);
      }
    }
    return in;
  }

  /** The directory of a set's outputs: the result directory itself for one unnamed set. */
  private Path setDir(Path out, VoxelSet set) {
    return named ? out.resolve(set.name()) : out;
  }

  @Override
  public PCollection<KV<Integer, TopLabelRows>> expand(StageGraph graph, Path out) {
    PCollection<Matrix> p = graph.pipeline().apply("Read similarities", ReadNpyMatrix.from(
        settings.similarities().toString()).waitFor(graph.inputsWritten()));
    List<String> dirs = new ArrayList<>();
    List<ToSemanticMaps.Maker> makers = new ArrayList<>();
    for (VoxelSet set : sets) {
      Path dir = setDir(out, set);
      try {
        Files.createDirectories(dir.resolve(PARTS));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      NpyRanges.createMatrix(dir.resolve(SCORES), set.size(), labelCount, settings.outputs().scores());
      NpyRanges.createMatrix(dir.resolve(MSM), set.size(), labelCount, settings.outputs().scores());
      Npy.writeIntVector(dir.resolve(ARGMAX), new int[set.size()]);
      dirs.add(dir.toString());
      makers.add(ToSemanticMaps.withLabels(labels).withTemperature(settings.temperature())
          .withVoxelSet(set.name()).withMethod(settings.method().toString()).maker());
    }
    // Block-sized data never waits in a PCollection: each worker reads (or computes) the activations of the block it
    // scores and writes the raw scores in place; the per-set steps read them back by range and write each set's rows.
    RawScoresFile raw = RawScoresFile.create(out.resolve(RAW_SCORES).toString(), labelCount, voxels);
    PCollection<KV<Long, Integer>> scored = graph.pipeline().apply("Score voxels", ScoreVoxels.withSimilarities(p)
        .with(settings.method())
        .withSourceNames(settings.similarities().getFileName().toString(), activationsName).withTotalVoxels(voxels)
        .withProgress(progress).fromSource(activationSource(), settings.voxelsPerBlock())
        .waitFor(graph.inputsWritten()).writingTo(raw));
    PCollection<KV<Integer, TopLabelRows>> top = scored.apply("Sets", DissectVoxelSets.of(sets, settings.method())
        .fromFile(raw, new WriteSetBlock(dirs, makers, settings.outputs().avro())));
    graph.wrote(top.apply("Probes", FindProbeImages.withActivations(activationSource(), voxels, images, labelCount)
            .withVoxelsPerBlock(settings.voxelsPerBlock()).perSetOfTopLabels(sets.size()))
        .apply("Write probes", ParDo.of(new WriteProbes(dirs))));
    return top;
  }

  /** Q by voxel block, read or computed as I W where it is used (the scoring, and again for the probe images). */
  private ActivationSource activationSource() {
    return settings.fromActivations() ? ActivationSource.npy(settings.activations().toString())
        : ActivationSource.product(settings.embeddings().toString(), settings.weights().toString());
  }

  @Override
  public Summary finish(Path out) {
    List<String> winners = new ArrayList<>();
    try (CSVPrinter counts = Csv.printer(out.resolve(COUNTS), "set", "label", "name", "voxels", "fraction");
        CSVPrinter probes = Csv.printer(out.resolve(PROBES), "set", "label", "name", "voxels", "rank", "image",
            "mean_activation")) {
      for (VoxelSet set : sets) {
        Path dir = setDir(out, set);
        List<Path> parts = new ArrayList<>();
        List<Path> csvParts = new ArrayList<>();
        for (long firstRow : partRows(dir.resolve(PARTS))) {
          parts.add(dir.resolve(PARTS).resolve(partName(firstRow, "avro")));
          csvParts.add(dir.resolve(PARTS).resolve(partName(firstRow, "csv")));
        }
        if (settings.outputs().avro()) {
          AvroParts.merge(parts, SemanticMap.getClassSchema(), dir.resolve(MAPS));
        }
        concatenate(csvParts, Csv.line("voxel", "label", "weight", "label2", "weight2", "label3", "weight3"),
            dir.resolve(LABELS_PER_VOXEL));
        winners.add(summarize(set, dir.resolve(PARTS), counts, probes));
        Files.delete(dir.resolve(PARTS).resolve(LABEL_COUNTS));
        Files.delete(dir.resolve(PARTS).resolve(PROBE_SUMS));
        Files.delete(dir.resolve(PARTS));
      }
      Files.delete(out.resolve(RAW_SCORES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Summary(images, labelCount, voxels, sets.stream().map(VoxelSet::name).toList(), winners);
  }

  static String partName(long firstRow, String ext) {
    return String.format("part-%012d.%s", firstRow, ext);
  }

  private static List<Long> partRows(Path parts) throws IOException {
    try (var s = Files.list(parts)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("part-") && n.endsWith(".csv"))
          .map(n -> Long.parseLong(n.substring(5, 17))).sorted().toList();
    }
  }

  private static void concatenate(List<Path> parts, String header, Path target) throws IOException {
    try (OutputStream w = Files.newOutputStream(target)) {
      w.write(header.getBytes(StandardCharsets.UTF_8));
      for (Path part : parts) {
        w.write(Files.readAllBytes(part));
        Files.delete(part);
      }
    }
  }

  /**
   * Top-label counts of a set and the top-3 probe images of its winning label (most voxels; ties to the lower label
   * index): the images with the highest mean activation over the voxels whose top label it is (ties: lower image
   * index), as {@link FindProbeImages} found them in the pipeline.
   */
  private String summarize(VoxelSet set, Path parts, CSVPrinter counts, CSVPrinter probes) throws IOException {
    long[] count = Npy.readLongVector(parts.resolve(LABEL_COUNTS));
    double[] sum = Npy.readVector(parts.resolve(PROBE_SUMS));
    Integer[] order = new Integer[labelCount];
    for (int d = 0; d < labelCount; d++) {
      order[d] = d;
    }
    Arrays.sort(order, (x, y) -> count[x] != count[y] ? Long.compare(count[y], count[x]) : Integer.compare(x, y));
    for (int d : order) {
      if (count[d] > 0) {
        counts.printRecord(set.name(), d, name(d), count[d], Double.toString((double) count[d] / set.size()));
      }
    }
    int winner = order[0];
    if (count[winner] == 0) {
      return "";
    }
    int[] top = SemanticMaps.top(sum, 0, images, Math.min(3, images));
    for (int r = 0; r < top.length; r++) {
      probes.printRecord(set.name(), winner, name(winner), count[winner], r + 1, top[r],
          Double.toString(sum[top[r]] / count[winner]));
    }
    return name(winner);
  }

  private String name(int d) {
    return d < 0 ? "" : labels == null ? Integer.toString(d) : labels.get(d);
  }

  /** Writes each set's top-label counts and probe sums for {@link #finish}. */
  static final class WriteProbes extends DoFn<KV<Integer, FindProbeImages.Probes>, Void> {
    private static final long serialVersionUID = 1L;
    private final List<String> dirs;

    WriteProbes(List<String> dirs) {
      this.dirs = dirs;
    }

    @ProcessElement
    public void process(@Element KV<Integer, FindProbeImages.Probes> e) {
      Path parts = Path.of(dirs.get(e.getKey()), PARTS);
      Npy.writeLongVector(parts.resolve(LABEL_COUNTS), e.getValue().counts());
      Npy.writeVector(parts.resolve(PROBE_SUMS), e.getValue().sums(), Npy.DType.FLOAT64);
    }
  }

  /** Writes each set's block in place in the set's directory: scores and msm rows, argmax, an Avro and a CSV part. */
  static final class WriteSetBlock implements DissectVoxelSets.SetSink {
    private static final long serialVersionUID = 1L;
    private final List<String> dirs;
    private final List<ToSemanticMaps.Maker> makers;
    private final boolean avro;

    WriteSetBlock(List<String> dirs, List<ToSemanticMaps.Maker> makers, boolean avro) {
      this.dirs = new ArrayList<>(dirs);
      this.makers = new ArrayList<>(makers);
      this.avro = avro;
    }

    @Override
    public void write(int set, ScoreBlock b) {
      Path d = Path.of(dirs.get(set));
      ToSemanticMaps.Maker maker = makers.get(set);
      ToSemanticMaps.Maps maps = maker.maps(b);
      NpyRanges.writeRows(d.resolve(SCORES), b.firstRow(), b.scores());
      NpyRanges.writeRows(d.resolve(MSM), b.firstRow(), maps.msm());
      NpyRanges.writeInts(d.resolve(ARGMAX), b.firstRow(), maps.argmax());
      if (avro) {
        AvroParts.writePart(d.resolve(PARTS).resolve(partName(b.firstRow(), "avro")), SemanticMap.getClassSchema(),
            maker.records(b, maps));
      }
      int l = b.labels();
      StringBuilder sb = new StringBuilder();
      for (int r = 0; r < b.rows(); r++) {
        int[] top = SemanticMaps.top(b.scores(), r * l, l, Math.min(3, l));
        List<Object> fields = new ArrayList<>(List.of(b.voxels()[r]));
        for (int t = 0; t < 3; t++) {
          int k = t < top.length ? top[t] : -1;
          fields.add(maker.labelName(k));
          fields.add(k < 0 ? "" : Double.toString(maps.msm()[r * l + k]));
        }
        sb.append(Csv.line(fields.toArray()));
      }
      try {
        Files.writeString(d.resolve(PARTS).resolve(partName(b.firstRow(), "csv")), sb, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
