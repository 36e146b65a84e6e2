package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.BrodenProbeSource;
import org.clipmsm.beam.DissectNetwork;
import org.clipmsm.beam.NetDissectBlock;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.broden.BrodenSet;
import org.clipmsm.embed.KeyedFeatures;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Float32Rows;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.netdissect.VoxelLabel;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.pipelines.output.Trees;

/**
 * Network Dissection of encoding-model voxels over a Broden probe set (docs/method.md §5): each voxel's activation
 * maps (dense features times its weights), thresholded at its top {@code quantile}, upsampled to the segmentations and
 * scored against every concept by IoU ({@link DissectNetwork}). Writes {@code netdissect.csv} (voxel, label,
 * category, iou, interpretable: the concept of highest IoU, empty when none meets the voxel's mask), {@code iou.npy}
 * (voxels x concepts, float64, concepts in {@code label.csv} number order without number 0), {@code concepts.txt}
 * (the concepts' names in that order) and {@code thresholds.npy} (T_v).
 *
 * <pre>{@code
 * NetDissectPipeline.Summary s = NetDissectPipeline.run(options, NetDissectSettings.fromDense(Path.of("broden"),
 *     Path.of("embed/embeddings.npy"), Path.of("embed/keys.csv"), Path.of("fit/weights.npy"),
 *     Path.of("netdissect")), Progress.lines("my-study"));
 * }</pre>
 */
public final class NetDissectPipeline implements StagedPipeline<PCollection<NetDissectBlock>,
    NetDissectPipeline.Summary> {
  public static final String LABELS = "netdissect.csv";
  public static final String IOU = "iou.npy";
  public static final String CONCEPTS = "concepts.txt";
  public static final String THRESHOLDS = "thresholds.npy";
  private static final String PARTS = "parts";
  private static final String DENSE = ".dense";

  private final NetDissectSettings settings;
  private final BrodenSet set;
  private final BrodenProbeSource probes;
  private final int voxels;
  private final Progress progress;

  /**
   * What the run produced: probe images, concepts scored, voxels, interpretable voxels, and the most frequent label
   * among those (empty if none).
   */
  public record Summary(int images, int concepts, int voxels, int interpretable, String commonest) {}

  private NetDissectPipeline(NetDissectSettings settings, BrodenSet set, BrodenProbeSource probes, int voxels,
      Progress progress) {
    this.settings = settings;
    this.set = set;
    this.probes = probes;
    this.voxels = voxels;
    this.progress = progress;
  }

  /**
   * Opens the probe set and checks every input before anything runs: the Broden tables and that the files they name
   * exist, that every image has a row of dense features, and that the weights have the dense features' width.
   * Segmentations are decoded (and their size checked) when they are counted.
   */
  public static NetDissectPipeline of(NetDissectSettings s) {
    return of(s, probeSet(s.broden(), s.categories()));
  }

  /**
   * The probe set as the settings select it (their categories; empty: NetDissect-Lite's that the set has), its
   * tables read and the files they name checked to exist.
   */
  public static BrodenSet probeSet(Path broden, List<String> categories) {
    BrodenSet set = BrodenSet.open(broden, categories.isEmpty() ? null : categories, null);
    set.checkFiles();
    return set;
  }

  /**
   * As {@link #of(NetDissectSettings)} over a probe set already opened by {@link #probeSet} with the settings' root
   * and categories (a study dissects several subjects over one set).
   */
  public static NetDissectPipeline of(NetDissectSettings s, BrodenSet set) {
    if (s.dense() == null) {
      throw new IllegalArgumentException("dense features are computed by run(); of() takes settings with dense");
    }
    Float32Rows dense = Float32Rows.open(s.dense(), 4, "images x height x width x features");
    List<String> keys = KeyedFeatures.readKeys(s.keys(), null);
    if (keys.size() != dense.rows()) {
      throw new InvalidInputException(s.keys().getFileName() + ": " + keys.size() + " keys, but "
          + s.dense().getFileName() + " has " + dense.rows() + " rows (expected one key per row, as embed writes"
          + " keys.csv)");
    }
    Map<String, Integer> rowOf = new HashMap<>();
    for (int r = 0; r < keys.size(); r++) {
      rowOf.putIfAbsent(keys.get(r), r);
    }
    int[] rowOfImage = new int[set.size()];
    for (int i = 0; i < set.size(); i++) {
      Integer r = rowOf.get(set.image(i).image());
      if (r == null) {
        throw new InvalidInputException(s.keys().getFileName() + ": no row for the probe image "
            + set.image(i).image() + " (index.csv line " + set.image(i).line() + "; expected every image of the"
            + " probe set, keyed by its index.csv path)");
      }
      rowOfImage[i] = r;
    }
    NpyHeader w = Inputs.matrix(s.weights(), "features x voxels");
    long features = dense.shape()[3];
    if (w.rows() != features) {
      throw new InvalidInputException(s.weights().getFileName() + ": " + w.rows() + " rows (features), but "
          + s.dense().getFileName() + " has " + features + " features per position (expected the weights of a"
          + " model fitted on the same encoder's embeddings)");
    }
    if (w.cols() < 1) {
      throw new InvalidInputException(s.weights().getFileName() + ": expected at least one voxel (column)");
    }
    return new NetDissectPipeline(s, set, BrodenProbeSource.of(set, dense, rowOfImage), w.cols(), Progress.quiet());
  }

  /** Where the dissection reports progress. */
  public NetDissectPipeline withProgress(Progress p) {
    return new NetDissectPipeline(settings, set, probes, voxels, p);
  }

  /**
   * Runs and commits. With a model, its dense features of the probe images are computed first ({@link
   * EmbedPipeline}, keyed by index.csv path) into the staged result, and removed once the dissection is done.
   */
  public static Summary run(PipelineOptions options, NetDissectSettings s, Progress progress) {
    if (s.model() == null) {
      return PipelineRuns.toDirectory(options, s.out(), of(s).withProgress(progress));
    }
    BrodenSet set = probeSet(s.broden(), s.categories());
    Inputs.matrix(s.weights(), "features x voxels");
    try (OutputDirectory dir = OutputDirectory.open(s.out(), List.of(s.broden(), s.weights()))) {
      Path dense = Files.createDirectory(dir.dir().resolve(DENSE));
      EmbedPipeline.Summary e = PipelineRuns.into(options, dense, EmbedPipeline.ofImages(
          EmbedSettings.of(s.broden(), s.model(), dense).withDense(true), set.imageRefs()).withProgress(progress));
      if (!e.failures().isEmpty()) {
        throw new InvalidInputException(s.broden() + ": " + e.failures().size() + " probe image(s) could not be"
            + " embedded, the first: " + e.failures().get(0));
      }
      Summary r = PipelineRuns.into(options, dir.dir(), of(s.withDense(dense.resolve(EmbedPipeline.EMBEDDINGS),
          dense.resolve(EmbedPipeline.KEYS)), set).withProgress(progress));
      Trees.delete(dense);
      dir.commit();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ModelPool.release(s.model());
    }
  }

  @Override
  public List<Path> inputs() {
    return List.of(settings.broden(), settings.dense(), settings.keys(), settings.weights());
  }

  @Override
  public PCollection<NetDissectBlock> expand(StageGraph graph, Path out) {
    try {
      Files.createDirectories(out.resolve(PARTS));
      List<String> names = names();
      Files.writeString(out.resolve(CONCEPTS), String.join("\n", names.subList(1, names.size())) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int concepts = probes.concepts().concepts() - 1;
    NpyRanges.createMatrix(out.resolve(IOU), voxels, concepts, Npy.DType.FLOAT64);
    NpyRanges.createVector(out.resolve(THRESHOLDS), voxels);
    PCollection<NetDissectBlock> blocks = graph.pipeline()
        .apply("Read weights", ReadVoxelBlocks.from(settings.weights().toString())
            .withVoxelsPerBlock(settings.voxelsPerBlock()).waitFor(graph.inputsWritten()))
        .apply("Network Dissection", DissectNetwork.over(probes).with(settings.spec()).withTotalVoxels(voxels)
            .withProgress(progress));
    graph.wrote(blocks.apply("Write blocks", ParDo.of(new WriteBlock(out.toString(), names(),
        probes.concepts().categories()))));
    return blocks;
  }

  /** Concept names by number (label.csv's), "" for numbers it lacks. */
  private List<String> names() {
    List<String> names = new ArrayList<>();
    for (int n = 0; n < set.labelCount(); n++) {
      names.add(set.hasLabel(n) ? set.label(n).name() : "");
    }
    return names;
  }

  @Override
  public Summary finish(Path out) {
    Path parts = out.resolve(PARTS);
    List<String> names = names();
    try {
      List<Path> files;
      try (Stream<Path> s = Files.list(parts)) {
        files = s.sorted(Comparator.comparing(Path::toString)).toList();
      }
      try (OutputStream w = Files.newOutputStream(out.resolve(LABELS))) {
        w.write(Csv.line("voxel", "label", "category", "iou", "interpretable").getBytes(StandardCharsets.UTF_8));
        for (Path f : files) {
          w.write(Files.readAllBytes(f));
          Files.delete(f);
        }
      }
      Files.delete(parts);
      Map<String, Integer> counts = new HashMap<>();
      Csv.Table t = Csv.read(out.resolve(LABELS));
      int interpretable = 0;
      for (int i = 0; i < t.size(); i++) {
        if (t.get(i, 4).equals("true")) {
          interpretable++;
          counts.merge(t.get(i, 1), 1, Integer::sum);
        }
      }
      // The label of most interpretable voxels; ties to the first name in alphabetical order.
      String commonest = counts.entrySet().stream()
          .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(
              Comparator.reverseOrder())))
          .map(Map.Entry::getKey).orElse("");
      return new Summary(set.size(), (int) java.util.Arrays.stream(probes.concepts().categoryOf())
          .filter(k -> k >= 0).count(), voxels, interpretable, commonest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a block in place: its IoU rows and thresholds, and its rows of netdissect.csv as a part. */
  static final class WriteBlock extends DoFn<NetDissectBlock, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;
    private final List<String> names;
    private final List<String> categories;

    WriteBlock(String dir, List<String> names, List<String> categories) {
      this.dir = dir;
      this.names = names;
      this.categories = categories;
    }

    @ProcessElement
    public void process(@Element NetDissectBlock b) throws IOException {
      Path d = Path.of(dir);
      NpyRanges.writeRows(d.resolve(IOU), b.firstVoxel(), b.iou());
      NpyRanges.writeVector(d.resolve(THRESHOLDS), b.firstVoxel(), b.thresholds());
      StringBuilder csv = new StringBuilder();
      try (CSVPrinter p = new CSVPrinter(csv, Csv.FORMAT)) {
        for (int v = 0; v < b.voxels(); v++) {
          VoxelLabel l = b.labels().get(v);
          boolean none = l.concept() == 0;
          p.printRecord(b.firstVoxel() + v, none ? "" : names.get(l.concept()),
              none ? "" : categories.get(l.category()), Double.toString(l.iou()), l.interpretable());
        }
      }
      Files.writeString(d.resolve(PARTS).resolve(String.format("part-%012d.csv", b.firstVoxel())), csv);
    }
  }
}
