package org.clipmsm.beam;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.ImagePreprocessing;
import org.clipmsm.stimuli.ImageReader;
import org.clipmsm.stimuli.ImageRef;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.image.RgbImage;

/**
 * Image embeddings of an image encoder, keyed by image key: {@code PCollection<ImageRef>} in, a tuple out with
 * {@link #EMBEDDINGS} ({@code KV<key, float[]>}: the pooled embedding, or with {@link #withDense} the flattened
 * (h, w, D) map) and {@link #FAILURES} ({@code KV<key, message>}: images that could not be read, each reported with
 * a one-line message naming its file; the rest of their batch is embedded).
 *
 * <p>The model is loaded once per worker ({@code @Setup}) and closed in {@code @Teardown}. Batches are
 * deterministic: images are spread over {@link #withShards shards} by a hash of their key, sorted by key within a
 * shard and cut into batches of {@link #withBatchSize batch size}, so an image meets the same batch-mates on every
 * runner and at every parallelism. A model that rejects a batch (wrong input size, corrupt graph) fails the job
 * with a message naming the model file.
 */
public final class EmbedImages extends PTransform<PCollection<ImageRef>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<KV<String, float[]>> EMBEDDINGS = new TupleTag<>() {};
  public static final TupleTag<KV<String, String>> FAILURES = new TupleTag<>() {};
  /** Images per forward pass unless {@link #withBatchSize} says otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final ModelRef model;
  private final int batchSize;
  private final int shards;
  private final boolean dense;
  private final long expected;
  private final Progress progress;

  private EmbedImages(ModelRef model, int batchSize, int shards, boolean dense, long expected, Progress progress) {
    this.model = model;
    this.batchSize = batchSize;
    this.shards = shards;
    this.dense = dense;
    this.expected = expected;
    this.progress = progress;
  }

  public static EmbedImages with(ModelRef model) {
    return new EmbedImages(model, DEFAULT_BATCH_SIZE, 8, false, 0, Progress.quiet());
  }

  public EmbedImages withBatchSize(int n) {
    if (n < 1) {
      throw new InvalidParameterException("batchSize", "expected at least 1, got " + n);
    }
    return new EmbedImages(model, n, shards, dense, expected, progress);
  }

  /** Groups of images processed as units of parallel work (default 8). */
  public EmbedImages withShards(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("shards must be positive, got " + n);
    }
    return new EmbedImages(model, batchSize, n, dense, expected, progress);
  }

  /** Per-position maps instead of pooled embeddings. */
  public EmbedImages withDense(boolean d) {
    return new EmbedImages(model, batchSize, shards, d, expected, progress);
  }

  /**
   * The number of images expected, for the progress lines ("embed: done/total images, rate"); without it they count
   * images done only.
   */
  public EmbedImages withExpectedCount(long n) {
    return new EmbedImages(model, batchSize, shards, dense, n, progress);
  }

  /** Where the stage "embed" reports its progress (default: counters only). */
  public EmbedImages withProgress(Progress p) {
    return new EmbedImages(model, batchSize, shards, dense, expected, p);
  }

  /** The shard of a key: a hash fixed by the key's characters alone (String.hashCode is specified). */
  static int shard(String key, int shards) {
    return Math.floorMod(key.hashCode(), shards);
  }

  @Override
  public PCollectionTuple expand(PCollection<ImageRef> images) {
    int n = shards;
    PCollectionTuple out = images
        .apply("Shard", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(),
            org.apache.beam.sdk.values.TypeDescriptor.of(ImageRef.class))).via(r -> KV.of(shard(r.key(), n), r)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ImageRefCoder.of()))
        .apply("Group shards", GroupByKey.create())
        .apply("Embed", ParDo.of(new EmbedFn(model, batchSize, dense,
            progress.stage(dense ? "embed dense" : "embed", expected)))
            .withOutputTags(EMBEDDINGS, TupleTagList.of(FAILURES)));
    out.get(EMBEDDINGS).setCoder(KvCoder.of(StringUtf8Coder.of(), FloatArrayCoder.of()));
    out.get(FAILURES).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return out;
  }

  static final class EmbedFn extends DoFn<KV<Integer, Iterable<ImageRef>>, KV<String, float[]>> {
    private static final long serialVersionUID = 1L;
    private final ModelRef ref;
    private final int batchSize;
    private final boolean dense;
    private final Progress.Stage progress;
    private transient EmbeddingModel model;
    private transient ImageReader reader;
    private transient ExecutorService preprocessors;

    EmbedFn(ModelRef ref, int batchSize, boolean dense, Progress.Stage progress) {
      this.ref = ref;
      this.batchSize = batchSize;
      this.dense = dense;
      this.progress = progress;
    }

    @Setup
    public void setup() {
      model = ModelPool.borrow(ref);
      reader = new ImageReader();
      // Resizing dominates the work outside the encoder: spread it over the cores while this thread reads.
      preprocessors = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "clipmsm-preprocess");
        t.setDaemon(true);
        return t;
      });
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ImageRef>> shard, MultiOutputReceiver out) {
      progress.start(); // at the first element: in a larger pipeline the work may start long after setup
      List<ImageRef> refs = new ArrayList<>();
      shard.getValue().forEach(refs::add);
      refs.sort(Comparator.comparing(ImageRef::key));
      ImagePreprocessing pre = model.preprocessing();
      FloatBuffer pixels = model.stagingBuffer(Math.min(batchSize, refs.size()));
      for (int start = 0; start < refs.size(); start += batchSize) {
        List<ImageRef> batch = refs.subList(start, Math.min(refs.size(), start + batchSize));
        List<String> keys = new ArrayList<>();
        List<Future<?>> work = new ArrayList<>();
        for (ImageRef r : batch) {
          RgbImage image;
          try {
            image = reader.read(r);
          } catch (InvalidInputException e) {
            out.get(FAILURES).output(KV.of(r.key(), e.getMessage()));
            continue;
          }
          int offset = keys.size() * pre.length();
          keys.add(r.key());
          work.add(preprocessors.submit(() -> pre.apply(image, pixels, offset)));
        }
        awaitAll(work);
        if (keys.isEmpty()) {
          progress.itemsDone("images", batch.size());
          continue;
        }
        float[][] rows = dense ? model.denseStaged(keys.size(), new int[3]) : model.embedStaged(keys.size());
        for (int i = 0; i < keys.size(); i++) {
          out.get(EMBEDDINGS).output(KV.of(keys.get(i), rows[i]));
        }
        progress.itemsDone("images", batch.size());
      }
    }

    /**
     * Waits for every preprocessing task, even after one failed: none may still be writing into the model's staging
     * buffer when this bundle fails and the model goes back to the pool.
     */
    private static void awaitAll(List<Future<?>> work) {
      Throwable failure = null;
      boolean interrupted = false;
      for (Future<?> f : work) {
        while (true) {
          try {
            f.get();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            if (failure == null) {
              failure = e.getCause();
            }
            break;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw new IllegalStateException("preprocessing failed", failure);
      }
    }

    @Teardown
    public void teardown() {
      if (preprocessors != null) {
        preprocessors.shutdownNow();
        try {
          // A task still running writes into the model's buffer: the model may go back to the pool only after.
          if (!preprocessors.awaitTermination(1, TimeUnit.MINUTES)) {
            model = null; // not returned: another borrower could see its buffer change
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          model = null;
        }
      }
      if (reader != null) {
        reader.close();
      }
      if (model != null) {
        ModelPool.giveBack(model);
        model = null;
      }
    }
  }
}
