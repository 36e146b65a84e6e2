package org.clipmsm.pipelines;

import java.io.BufferedWriter;
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
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.EmbedImages;
import org.clipmsm.beam.ImageRefCoder;
import org.clipmsm.beam.ReadKeyedFeatures;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.EmbeddingsFile;
import org.clipmsm.embed.ImagePreprocessing;
import org.clipmsm.stimuli.ImageRef;
import org.clipmsm.stimuli.ImageSources;
import org.clipmsm.embed.KeyedFeatures;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.embed.ModelRef;

/**
 * {@code clipmsm embed}: image embeddings of every image an {@code --images} argument names ({@link ImageSources}),
 * written as {@code embeddings.npy} (float32; {@code (n, D)}, or {@code (n, h, w, D)} with dense maps) whose rows
 * follow {@code keys.csv} (row, key). Workers write their rows in place in the staged file. Images that cannot be
 * read are left out, listed in {@code failures.csv} (key, message) and reported after the rest are written.
 */
public final class EmbedPipeline {
  private EmbedPipeline() {}

  /** What to embed and how. */
  public record Settings(String images, ModelRef model, String out, boolean dense, int batchSize, List<String> events) {
    public Settings(String images, ModelRef model, String out, boolean dense, int batchSize) {
      this(images, model, out, dense, batchSize, List.of());
    }
  }

  public record Summary(int images, int embedded, List<String> failures, long[] shape, Path out) {}

  public static Summary run(PipelineOptions options, Settings s) {
    if (s.batchSize() < 1) {
      throw new InvalidInputException("--batch-size: expected at least 1, got " + s.batchSize());
    }
    List<ImageRef> refs = s.events().isEmpty() ? ImageSources.list(Path.of(s.images()))
        : ImageSources.nodEvents(Path.of(s.images()), s.events().stream().map(Path::of).toList());
    long[] shape = probe(s);
    shape[0] = refs.size();
    Map<String, Integer> rows = new HashMap<>();
    for (int i = 0; i < refs.size(); i++) {
      if (rows.put(refs.get(i).key(), i) != null) {
        throw new InvalidInputException("--images " + s.images() + ": key " + refs.get(i).key() + " twice");
      }
    }
    Path target = Path.of(s.out());
    try (OutputDirectory out = OutputDirectory.open(target, "embed")) {
      Path npy = out.file("embeddings.npy");
      EmbeddingsFile.create(npy, shape);
      Path failDir = Files.createDirectory(out.file("failures.parts"));
      Pipeline p = Pipeline.create(options);
      // Shards: about four batches each, so that the unit of work is large enough to batch well.
      int shards = (int) Math.max(1, Math.min(256, (refs.size() + 4L * s.batchSize() - 1) / (4L * s.batchSize())));
      PCollectionTuple embedded = p.apply("Images", Create.of(refs).withCoder(ImageRefCoder.of()))
          .apply("Embed images", EmbedImages.with(s.model()).withBatchSize(s.batchSize()).withShards(shards)
              .withExpectedCount(refs.size())
              .withDense(s.dense()));
      embedded.get(EmbedImages.EMBEDDINGS).apply("Write rows", ParDo.of(new WriteRows(npy.toString(), shape, rows)));
      embedded.get(EmbedImages.FAILURES).apply("Write failures", ParDo.of(new WriteFailures(failDir.toString())));
      p.run().waitUntilFinish();

      TreeMap<Integer, String> failed = readFailures(failDir, rows);
      deleteTree(failDir);
      List<String> messages = new ArrayList<>(failed.values());
      int embeddedCount = refs.size() - failed.size();
      if (!failed.isEmpty()) {
        compact(npy, shape, failed, embeddedCount);
        try (BufferedWriter w = Files.newBufferedWriter(out.file("failures.csv"))) {
          w.write("key,message\n");
          for (Map.Entry<Integer, String> f : failed.entrySet()) {
            w.write(csv(refs.get(f.getKey()).key()) + "," + csv(f.getValue()) + "\n");
          }
        }
      }
      try (BufferedWriter w = Files.newBufferedWriter(out.file("keys.csv"))) {
        w.write("row,key\n");
        int row = 0;
        for (int i = 0; i < refs.size(); i++) {
          if (!failed.containsKey(i)) {
            w.write(row++ + "," + csv(refs.get(i).key()) + "\n");
          }
        }
      }
      out.commit();
      long[] written = shape.clone();
      written[0] = embeddedCount;
      return new Summary(refs.size(), embeddedCount, messages, written, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ModelPool.release(s.model());
    }
  }

  /** Precomputed features joined by key: the keys file's order, or the order file's keys. */
  public record FeatureSettings(String features, String keys, String keyColumn, String order, String orderColumn,
      String out) {}

  /**
   * Precomputed features as {@code embeddings.npy} + {@code keys.csv}: the rows of the features file looked up by
   * key, in the order of the {@code order} keys file when given (e.g. {@code image_keys.csv} of {@code prepare nsd},
   * so that rows follow the responses), else in the keys file's own order.
   */
  public static Summary runFeatures(PipelineOptions options, FeatureSettings s) {
    KeyedFeatures table = KeyedFeatures.read(Path.of(s.features()), Path.of(s.keys()), s.keyColumn());
    List<String> order = s.order() == null ? KeyedFeatures.readKeys(Path.of(s.keys()), s.keyColumn())
        : KeyedFeatures.readKeys(Path.of(s.order()), s.orderColumn());
    Map<String, Integer> rows = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      if (rows.put(order.get(i), i) != null) {
        throw new InvalidInputException(s.order() + ": key " + order.get(i) + " twice (expected each key once)");
      }
      table.row(order.get(i));
    }
    long[] shape = {order.size(), table.dim()};
    Path target = Path.of(s.out());
    try (OutputDirectory out = OutputDirectory.open(target, "embed")) {
      Path npy = out.file("embeddings.npy");
      EmbeddingsFile.create(npy, shape);
      Pipeline p = Pipeline.create(options);
      p.apply("Features", ReadKeyedFeatures.from(s.features(), s.keys(), s.keyColumn()).forKeys(order))
          .apply("Write rows", ParDo.of(new WriteRows(npy.toString(), shape, rows)));
      p.run().waitUntilFinish();
      try (BufferedWriter w = Files.newBufferedWriter(out.file("keys.csv"))) {
        w.write("row,key\n");
        for (int i = 0; i < order.size(); i++) {
          w.write(i + "," + csv(order.get(i)) + "\n");
        }
      }
      out.commit();
      return new Summary(order.size(), order.size(), List.of(), shape, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens the model in this process (so a bad model fails fast, naming its file) and learns its output shape; the
   * instance then waits in the {@link ModelPool} for a worker in this JVM.
   */
  private static long[] probe(Settings s) {
    EmbeddingModel m = ModelPool.borrow(s.model());
    try {
      if (s.batchSize() > m.maxBatch()) {
        throw new InvalidInputException("--batch-size " + s.batchSize() + ": at most " + m.maxBatch() + " images of "
            + m.preprocessing().size() + " px fit in the model's input buffer (2 GB)");
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

  /** Rewrites the file without the failed rows, keeping the order of the rest. */
  private static void compact(Path npy, long[] shape, TreeMap<Integer, String> failed, int kept) throws IOException {
    long[] small = shape.clone();
    small[0] = kept;
    Path tmp = npy.resolveSibling("embeddings.compact.npy");
    EmbeddingsFile.create(tmp, small);
    int row = 0;
    for (int i = 0; i < shape[0]; i++) {
      if (!failed.containsKey(i)) {
        EmbeddingsFile.writeRow(tmp, small, row++, EmbeddingsFile.readRow(npy, shape, i));
      }
    }
    Files.move(tmp, npy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"" : s;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** Writes each embedding at its key's row. */
  static final class WriteRows extends DoFn<KV<String, float[]>, Void> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long[] shape;
    private final HashMap<String, Integer> rows;

    WriteRows(String file, long[] shape, Map<String, Integer> rows) {
      this.file = file;
      this.shape = shape;
      this.rows = new HashMap<>(rows);
    }

    @ProcessElement
    public void process(@Element KV<String, float[]> e) {
      EmbeddingsFile.writeRow(Path.of(file), shape, rows.get(e.getKey()), e.getValue());
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
