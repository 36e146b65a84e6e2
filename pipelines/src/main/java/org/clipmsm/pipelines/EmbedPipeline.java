package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.beam.EmbedImages;
import org.clipmsm.beam.ImageRefCoder;
import org.clipmsm.beam.Progress;
import org.clipmsm.broden.BrodenSet;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.ImagePreprocessing;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Float32Rows;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.stimuli.ImageRef;
import org.clipmsm.stimuli.ImageSources;

/**
 * Image embeddings of every image the settings name ({@link ImageSources}), written as {@code embeddings.npy}
 * (float32; {@code (n, D)}, or {@code (n, h, w, D)} with dense maps) whose rows follow {@code keys.csv} (row, key).
 * Workers write their rows in place in the staged file. Images that cannot be read are left out, listed in
 * {@code failures.csv} (key, message) and reported in the summary after the rest are written.
 *
 * <pre>{@code
 * EmbedPipeline.Summary s = EmbedPipeline.run(options,
 *     EmbedSettings.of(Path.of("stimuli"), ModelRef.of("tiny-clip"), Path.of("embed")), Progress.quiet());
 * }</pre>
 */
public final class EmbedPipeline implements StagedPipeline<PCollectionTuple, EmbedPipeline.Summary> {
  public static final String EMBEDDINGS = "embeddings.npy";
  public static final String KEYS = "keys.csv";
  public static final String FAILURES = "failures.csv";
  private static final String FAILURE_PARTS = "failures.parts";

  private final EmbedSettings settings;
  private final List<ImageRef> refs;
  private final long[] shape;
  private final Progress progress;

  /** Images named, images embedded, the messages of the others, the shape written. */
  public record Summary(int images, int embedded, List<String> failures, long[] shape) {}

  private EmbedPipeline(EmbedSettings settings, List<ImageRef> refs, long[] shape, Progress progress) {
    this.settings = settings;
    this.refs = refs;
    this.shape = shape;
    this.progress = progress;
  }

  /** Lists the images and opens the model (a bad model fails here, naming its file) to learn the output shape. */
  public static EmbedPipeline of(EmbedSettings s) {
    List<ImageRef> refs = !s.events().isEmpty() ? ImageSources.nodEvents(s.images(), s.events())
        : isBroden(s.images()) ? BrodenSet.open(s.images()).imageRefs() : ImageSources.list(s.images());
    return ofImages(s, refs);
  }

  /**
   * A Broden probe set's root: its images (not the segmentation PNGs beside them) are embedded, keyed by their
   * index.csv path, the key netdissect joins dense features by.
   */
  static boolean isBroden(Path images) {
    return Files.isRegularFile(images.resolve(BrodenSet.INDEX)) && Files.isRegularFile(images.resolve(BrodenSet.LABEL));
  }

  /** Embeds these images, keyed as given, rather than those {@code s.images()} names. */
  public static EmbedPipeline ofImages(EmbedSettings s, List<ImageRef> refs) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (ImageRef r : refs) {
      if (!keys.add(r.key())) {
        throw new InvalidParameterException("images", s.images() + ": key " + r.key() + " twice");
      }
    }
    long[] shape = probe(s);
    shape[0] = refs.size();
    return new EmbedPipeline(s, refs, shape, Progress.quiet());
  }

  /** Where the embedding reports progress. */
  public EmbedPipeline withProgress(Progress p) {
    return new EmbedPipeline(settings, refs, shape, p);
  }

  /** Runs and commits; the model instances it loaded are closed afterwards, also on failure. */
  public static Summary run(PipelineOptions options, EmbedSettings s, Progress progress) {
    try {
      return PipelineRuns.toDirectory(options, s.out(), of(s).withProgress(progress));
    } finally {
      ModelPool.release(s.model());
    }
  }

  /**
   * Opens the model in this process and learns its output shape; the instance then waits in the {@link ModelPool}
   * for a worker in this JVM.
   */
  private static long[] probe(EmbedSettings s) {
    EmbeddingModel m = ModelPool.borrow(s.model());
    try {
      if (s.batchSize() > m.maxBatch()) {
        throw new InvalidParameterException("batchSize", "at most " + m.maxBatch() + " images of "
            + m.preprocessing().size() + " px fit in the model's input buffer (2 GB), got " + s.batchSize());
      }
      ImagePreprocessing pre = m.preprocessing();
      float[] blank = new float[pre.length()];
      if (s.dense()) {
        int[] hwd = new int[3];
        m.dense(blank, 1, hwd);
        return new long[] {0, hwd[0], hwd[1], hwd[2]};
      }
      return new long[] {0, m.embedImages(blank, 1)[0].length};
    } finally {
      ModelPool.giveBack(m);
    }
  }

  @Override
  public List<Path> inputs() {
    List<Path> in = new ArrayList<>(List.of(settings.images()));
    in.addAll(settings.events());
    return in;
  }

  @Override
  public PCollectionTuple expand(StageGraph graph, Path out) {
    NpyRanges.createFloat32(out.resolve(EMBEDDINGS), shape);
    // Every image's key, as the rows will be if none fails (finish rewrites it when some do).
    writeKeys(out, new TreeMap<>());
    Path failDir;
    try {
      failDir = Files.createDirectory(out.resolve(FAILURE_PARTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Shards: about four batches each, so that the unit of work is large enough to batch well.
    int shards = (int) Math.max(1, Math.min(256, (refs.size() + 4L * settings.batchSize() - 1)
        / (4L * settings.batchSize())));
    PCollectionTuple embedded = graph.begin("Images", Create.of(refs).withCoder(ImageRefCoder.of()))
        .apply("Embed images", EmbedImages.with(settings.model()).withBatchSize(settings.batchSize())
            .withShards(shards).withExpectedCount(refs.size()).withDense(settings.dense()).withProgress(progress));
    graph.wrote(embedded.get(EmbedImages.EMBEDDINGS).apply("Write rows", ParDo.of(new WriteRows(
        out.resolve(EMBEDDINGS), shape, keys()))));
    graph.wrote(embedded.get(EmbedImages.FAILURES).apply("Write failures", ParDo.of(new WriteFailures(
        failDir.toString()))));
    return embedded;
  }

  private List<String> keys() {
    return refs.stream().map(ImageRef::key).toList();
  }

  /** Row i of a file written in this key order holds {@code keys.get(i)}: key -> row. */
  static Map<String, Integer> rowsOf(List<String> keys) {
    Map<String, Integer> rows = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      rows.put(keys.get(i), i);
    }
    return rows;
  }

  @Override
  public Summary finish(Path out) {
    Path npy = out.resolve(EMBEDDINGS);
    try {
      TreeMap<Integer, String> failed = readFailures(out.resolve(FAILURE_PARTS), rowsOf(keys()));
      deleteFlat(out.resolve(FAILURE_PARTS));
      int embeddedCount = refs.size() - failed.size();
      if (!failed.isEmpty()) {
        compact(npy, failed, embeddedCount);
        try (CSVPrinter w = Csv.printer(out.resolve(FAILURES), "key", "message")) {
          for (Map.Entry<Integer, String> f : failed.entrySet()) {
            w.printRecord(refs.get(f.getKey()).key(), f.getValue());
          }
        }
        writeKeys(out, failed);
      }
      long[] written = shape.clone();
      written[0] = embeddedCount;
      return new Summary(refs.size(), embeddedCount, new ArrayList<>(failed.values()), written);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** keys.csv: the key of each row written, the failed images left out. */
  private void writeKeys(Path out, TreeMap<Integer, String> failed) {
    try (CSVPrinter w = Csv.printer(out.resolve(KEYS), "row", "key")) {
      int row = 0;
      for (int i = 0; i < refs.size(); i++) {
        if (!failed.containsKey(i)) {
          w.printRecord(row++, refs.get(i).key());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TreeMap<Integer, String> readFailures(Path dir, Map<String, Integer> rows) throws IOException {
    TreeMap<Integer, String> out = new TreeMap<>();
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path f : parts.sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          int tab = line.indexOf('\t');
          out.put(rows.get(line.substring(0, tab)), line.substring(tab + 1));
        }
      }
    }
    return out;
  }

  private static void deleteFlat(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** Rewrites the file without the failed rows, keeping the order of the rest. */
  private void compact(Path npy, TreeMap<Integer, String> failed, int kept) throws IOException {
    long[] small = shape.clone();
    small[0] = kept;
    Path tmp = npy.resolveSibling("embeddings.compact.npy");
    NpyRanges.createFloat32(tmp, small);
    Float32Rows rows = Float32Rows.open(npy, shape.length, "embeddings");
    int row = 0;
    for (int i = 0; i < shape[0]; i++) {
      if (!failed.containsKey(i)) {
        NpyRanges.writeFloatRow(tmp, small, row++, rows.row(i));
      }
    }
    Files.move(tmp, npy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes each embedding at its key's row, the rows following {@code keys}. */
  static final class WriteRows extends DoFn<KV<String, float[]>, Void> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long[] shape;
    private final HashMap<String, Integer> rows;

    WriteRows(Path file, long[] shape, List<String> keys) {
      this.file = file.toString();
      this.shape = shape;
      this.rows = new HashMap<>(rowsOf(keys));
    }

    @ProcessElement
    public void process(@Element KV<String, float[]> e) {
      NpyRanges.writeFloatRow(Path.of(file), shape, rows.get(e.getKey()), e.getValue());
    }
  }

  /** Appends each failure (key, tab, message) to this worker's own file for the driver to gather. */
  static final class WriteFailures extends DoFn<KV<String, String>, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;

    WriteFailures(String dir) {
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element KV<String, String> e) {
      try {
        Files.writeString(Path.of(dir, "part-" + UUID.randomUUID()), e.getKey() + "\t"
            + e.getValue().replace('\n', ' ') + "\n");
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }
  }
}
